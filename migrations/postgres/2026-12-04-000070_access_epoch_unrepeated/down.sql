CREATE OR REPLACE FUNCTION bump_access_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('portico.access_epoch_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('portico.access_epoch_bumped', 'yes', true);
        UPDATE access_epoch SET n = n + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;
UPDATE access_epoch SET n = moves WHERE id = 1;
ALTER TABLE access_epoch DROP COLUMN moves;
