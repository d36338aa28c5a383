//! The demo's practice in the community of the open-source GIS practitioners: its topics, its longer threads
//! with replies and answers, and the many shorter ones a living community accumulates, with the
//! things its members say in reply.

use copse_core::domain::ThreadKind::{
    Announcement as A, Discussion as D, Question as Q, Resource as R,
};

use super::practice::{Short, ThreadSeed};

pub const GIS_TOPICS: &[(&str, &str, &str)] = &[
    ("qgis", "QGIS", "Desktop GIS, plugins and styling"),
    ("postgis", "PostGIS", "Spatial SQL and databases"),
    (
        "projections",
        "Projections",
        "Coordinate reference systems and datums",
    ),
    (
        "field-data",
        "Field data",
        "Collecting data offline, on phones and drones",
    ),
    ("tiles", "Vector tiles", "Making and serving map tiles"),
    (
        "teaching",
        "Teaching GIS",
        "Training colleagues and communities",
    ),
];

pub const GIS_THREADS: &[ThreadSeed] = &[
    (
        "pedro",
        Q,
        false,
        &["projections"],
        "My parcels are 100 metres off after loading into QGIS",
        "Cadastral parcels from the city line up with OSM in one project and are ~100 m off in another. What am I doing wrong?",
        &[
            (
                "ingrid",
                "Almost certainly a datum transformation: your data is in ETRS89 / PT-TM06 and the project picks a different transformation. Set the project CRS explicitly and check **Datum Transformations** in the project properties.",
            ),
            (
                "joost",
                "And check the layer has a .prj — without it QGIS guesses.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "kofi",
        Q,
        false,
        &["field-data"],
        "Offline forms that survive a week without signal",
        "Our field teams in northern Ghana are offline for a week. Which mobile data collection setup has been reliable for you?",
        &[
            (
                "amara",
                "We use QField with a GeoPackage per team and sync when they're back. Daily backups to the SD card saved us twice.",
            ),
            (
                "moses",
                "Charge banks and a strict 'sync before you leave town' rule matter more than the app.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "beatriz",
        R,
        false,
        &["tiles"],
        "A minimal vector tile pipeline: PostGIS → tiles → MapLibre",
        "Write-up of the pipeline we use for NGO maps: ST_AsMVT in PostGIS, tiles cached on disk, MapLibre on the front end. Scripts included.",
        &[
            (
                "chen_wei",
                "We did the same and added pre-seeding for zoom 0–10; everything above is rendered on demand.",
            ),
            (
                "tariq",
                "Utrecht uses almost the same stack for our open base map. Happy to compare styles.",
            ),
        ],
        None,
        true,
    ),
    (
        "maria",
        D,
        false,
        &["teaching"],
        "Teaching QGIS to municipal staff who have never used GIS",
        "I run two-day QGIS courses for municipal staff. What exercises worked best for you with complete beginners?",
        &[
            (
                "eva",
                "Start with their own street on a map. People care about maps of places they know.",
            ),
            (
                "sunita",
                "In community mapping we start on paper, then trace it in QGIS. The jump is smaller.",
            ),
        ],
        None,
        false,
    ),
    (
        "arjun",
        Q,
        false,
        &["field-data"],
        "Sentinel-1 flood extent vs. ground truth",
        "Our Sentinel-1 flood maps over-detect water in urban areas. How do you validate or correct them?",
        &[
            (
                "liam",
                "Mask urban areas with a building footprint layer and treat them separately; radar double-bounce makes urban flood detection unreliable.",
            ),
            (
                "amara",
                "Ground truth from community reporters with phone photos worked for us in Nairobi.",
            ),
        ],
        Some(0),
        false,
    ),
    (
        "joost",
        Q,
        false,
        &["postgis"],
        "Speeding up ST_Intersects on 2 million parcels",
        "A spatial join between parcels and flood zones takes 40 minutes. Index exists. Ideas?",
        &[
            (
                "chen_wei",
                "Subdivide the flood polygons with ST_Subdivide first — huge polygons defeat the index.",
            ),
            (
                "ingrid",
                "And ANALYZE after loading; the planner had stale stats in our case.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "ingrid",
        A,
        false,
        &[],
        "Office hours every Thursday",
        "We'll hold an open office hour every Thursday at 13:00 UTC for projection questions. Bring your broken layers!",
        &[],
        None,
        false,
    ),
    (
        "sunita",
        D,
        false,
        &["teaching", "field-data"],
        "Participatory mapping ethics: who owns the map?",
        "When a community maps its own settlement with us, who should own the data, and should it go to OSM?",
        &[
            (
                "amara",
                "We agree ownership with the community before we start, in writing. Some layers never go to OSM — e.g. locations of vulnerable households.",
            ),
            (
                "laura",
                "That's a great practice. Would you share the agreement template?",
            ),
        ],
        None,
        false,
    ),
    (
        "tariq",
        Q,
        false,
        &["postgis"],
        "Publishing OGC API Features from PostGIS",
        "Which server do you use to publish OGC API Features straight from PostGIS?",
        &[
            (
                "beatriz",
                "pg_featureserv for simple cases; pygeoapi when we need more formats.",
            ),
            ("joost", "pygeoapi here too, behind a cache."),
        ],
        Some(0),
        false,
    ),
    (
        "moses",
        Q,
        false,
        &["field-data", "projections"],
        "Drone orthophotos don't line up with GPS points",
        "Our drone orthomosaics are shifted 2–3 m against handheld GPS points. Ground control points or better GPS?",
        &[
            (
                "liam",
                "Ground control points. Five well-spread GCPs usually bring us under 10 cm.",
            ),
            (
                "ingrid",
                "Also check both are in the same datum — WGS84 vs. the national frame can be a metre or more in places.",
            ),
        ],
        Some(0),
        false,
    ),
];

pub const GIS: &[Short] = &[
    (
        Q,
        "Reprojecting rasters without losing alignment",
        "gdalwarp shifts my raster by half a pixel. Which options keep it aligned?",
    ),
    (
        Q,
        "Best way to share a QGIS project with colleagues",
        "Relative paths, GeoPackage, or a project in PostGIS?",
    ),
    (
        D,
        "OpenStreetMap imports: when is it OK?",
        "A city offers its building footprints. How do we import responsibly?",
    ),
    (
        R,
        "QGIS style for cadastral maps",
        "The QML style our municipality uses for parcels and addresses.",
    ),
    (
        Q,
        "Geocoding addresses with no street names",
        "Informal settlements have no street names. How do you geocode?",
    ),
    (
        Q,
        "Simplifying polygons without gaps",
        "ST_Simplify leaves gaps between neighbouring parcels. Topology-preserving options?",
    ),
    (
        Q,
        "Choosing a projection for a whole country",
        "Equal area or conformal for national statistics maps?",
    ),
    (
        D,
        "Training volunteers for field mapping",
        "What do you teach in a first session with new volunteers?",
    ),
    (
        Q,
        "Vector tiles: which zoom levels to pre-render?",
        "We serve a country-wide base map. Where do you stop pre-rendering?",
    ),
    (
        R,
        "Cheat sheet: EPSG codes we use daily",
        "A one-page list of the CRSs our team meets most, with notes.",
    ),
    (
        Q,
        "Storing GPS tracks efficiently",
        "Millions of points per day. LineStrings per trip or points table?",
    ),
    (
        Q,
        "Georeferencing old paper maps",
        "How many control points and which transformation for 1950s maps?",
    ),
    (
        D,
        "Offline maps on cheap Android phones",
        "Which apps run well on 2 GB phones?",
    ),
    (
        Q,
        "Calculating flood depth from a DEM",
        "Water surface minus DEM — how do you get the water surface?",
    ),
    (
        Q,
        "Spatial joins in Python at scale",
        "GeoPandas slows down at 10 million rows. Alternatives?",
    ),
    (
        R,
        "Workshop materials: PostGIS in a day",
        "Slides and exercises from our one-day PostGIS workshop.",
    ),
    (
        Q,
        "Licensing for derived data from OSM",
        "If we combine OSM with our data, what licence applies?",
    ),
    (
        Q,
        "Drone flight planning for orthophotos",
        "Overlap settings for rural mapping?",
    ),
    (
        D,
        "Is QGIS ready for the whole municipality?",
        "Our city considers moving all departments to QGIS. Experiences?",
    ),
    (
        Q,
        "Metadata that people fill in",
        "How do you get colleagues to write metadata at all?",
    ),
    (
        Q,
        "Serving WMS and vector tiles side by side",
        "Same data, two services. How do you keep styles in sync?",
    ),
    (
        R,
        "Field form templates for QField",
        "Forms for water points, schools and health facilities.",
    ),
    (
        Q,
        "Accuracy of phone GPS under tree cover",
        "What accuracy do you get under canopy, and does an external receiver help?",
    ),
    (
        Q,
        "Routing with elevation for cyclists",
        "Which routing engine handles elevation well?",
    ),
    (
        D,
        "Mentoring newcomers to open-source GIS",
        "Would anyone mentor someone moving from proprietary tools?",
    ),
    (
        Q,
        "Detecting buildings from imagery",
        "Which open models work for rural buildings?",
    ),
    (
        Q,
        "Datum shifts between old and new national grids",
        "Grid files or seven-parameter transformations?",
    ),
    (
        R,
        "Our style guide for thematic maps",
        "Colours, fonts and legends we use for public-facing maps.",
    ),
    (
        Q,
        "Publishing maps accessibly",
        "How do you make web maps accessible to screen reader users?",
    ),
    (
        Q,
        "Backing up a PostGIS database",
        "pg_dump custom format or physical backups for 500 GB?",
    ),
    (
        Q,
        "Snapping GPS points to roads",
        "Map matching noisy tracks to OSM roads: which tool?",
    ),
    (
        Q,
        "Hexagon grids for statistics",
        "H3 or regular hex grids for publishing statistics?",
    ),
    (
        D,
        "Remote sensing courses worth taking",
        "Which free courses helped you most?",
    ),
    (
        R,
        "Python snippets for GDAL we reuse",
        "Small scripts for warping, clipping and mosaicking.",
    ),
    (
        Q,
        "Address points vs. building centroids",
        "For geocoding, which gives better results in cities?",
    ),
    (
        Q,
        "Topology checks before publishing parcels",
        "Which checks do you run before publishing cadastral data?",
    ),
    (
        D,
        "Community mapping and elections",
        "How do you keep mapping neutral in an election year?",
    ),
    (
        Q,
        "Storing time series of satellite indices",
        "NDVI per field per week: raster cubes or tables?",
    ),
    (
        Q,
        "Styling for colour-blind readers",
        "Which palettes do you use for choropleths?",
    ),
    (
        R,
        "Our QGIS plugin list",
        "The plugins every new colleague installs, and why.",
    ),
];

pub const GIS_REPLIES: &[(&str, &str)] = &[
    (
        "amara",
        "In Nairobi we found the community's own knowledge beat any tool; ask them first.",
    ),
    (
        "joost",
        "Utrecht publishes a how-to for this on our open data portal; I'll dig out the link.",
    ),
    (
        "beatriz",
        "We automated this in our tile pipeline; the scripts are in the resource thread.",
    ),
    (
        "arjun",
        "For disaster response speed matters more than perfection — we accept rough results first.",
    ),
    (
        "ingrid",
        "Check the CRS first. Nine times out of ten that's the problem.",
    ),
    (
        "kofi",
        "Our app handles this offline; the trick is small GeoPackages per team.",
    ),
    (
        "maria",
        "I teach this in my course with a simple exercise; happy to share the material.",
    ),
    (
        "liam",
        "With point clouds we do the same, but classify ground points first.",
    ),
    (
        "sunita",
        "Participatory mapping changes the question — decide it with the community.",
    ),
    (
        "tariq",
        "OGC API Features makes this easier to publish; we moved to it last year.",
    ),
    (
        "chen_wei",
        "I benchmarked a few options for this; PostGIS won once the indexes were right.",
    ),
    (
        "eva",
        "From the cartography side: test the result with someone who has never seen the map.",
    ),
];
