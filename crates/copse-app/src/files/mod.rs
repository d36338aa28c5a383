//! Files people share. An upload's kind comes from its first bytes, it is counted against the
//! limits as it arrives and streamed to the storage port; images are decoded and written again
//! so that nothing but pixels is kept. An upload belongs to its owner alone until the post it
//! was made for is saved and attaches it; from then on whoever may read that post may read the
//! file, through the post's own gate — and no one else. The worker removes the bytes of files
//! whose post is gone and of uploads never attached.

mod attach;
mod avatars;
mod cleanup;
mod images;
mod read;
mod upload;
mod usage;

pub use attach::{MAX_FILES_PER_POST, attach, file_ids, new_version};
pub use avatars::{AVATAR_SIZES, Avatar, AvatarImage, avatar, remove_avatar, set_avatar};
pub use cleanup::remove_unreadable;
pub use read::{
    Audience, Readable, fetch, library_documents, message_files, open, readable_conversation_files,
    readable_recap_files, readable_story_files, readable_thread_files, recap_files, story_files,
    thread_files,
};
pub use upload::{keep_imported, upload};
pub use usage::{Usage, community_usage};
