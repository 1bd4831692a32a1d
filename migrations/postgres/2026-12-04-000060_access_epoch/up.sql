-- Every node keeps the customer contexts it has read (a customer's row, effective profile and
-- app settings) and checks them on every request against this counter, read in the same query
-- as the signed-in user. Any change to what a context is made of moves the counter in the same
-- transaction, so a permission change still bites on the very next request on every node.
CREATE TABLE access_epoch (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO access_epoch (id, n) VALUES (1, 0);

-- Once per transaction, at its commit: the counter's row is then locked only for the last moment
-- of the transaction, after which it takes no other lock (two transactions that change the
-- same customers cannot deadlock on it), and a bulk change moves it once.
CREATE FUNCTION bump_access_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('portico.access_epoch_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('portico.access_epoch_bumped', 'yes', true);
        UPDATE access_epoch SET n = n + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER customers_access_epoch AFTER INSERT OR UPDATE OR DELETE ON customers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_access_epoch();
CREATE CONSTRAINT TRIGGER access_profiles_access_epoch AFTER INSERT OR UPDATE OR DELETE ON access_profiles
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_access_epoch();
CREATE CONSTRAINT TRIGGER access_profile_permissions_access_epoch
    AFTER INSERT OR UPDATE OR DELETE ON access_profile_permissions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_access_epoch();

-- TRUNCATE has no row triggers (and takes a lock that waits for every reader anyway).
CREATE TRIGGER customers_access_epoch_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER access_profiles_access_epoch_truncate AFTER TRUNCATE ON access_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER access_profile_permissions_access_epoch_truncate AFTER TRUNCATE ON access_profile_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
