-- Files of an event's recap belong to one occurrence: the event is attached_id, the
-- occurrence's key (its original start, UTC milliseconds) is attached_key. Other files have none.
ALTER TABLE files ADD COLUMN attached_key INTEGER;
