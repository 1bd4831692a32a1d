-- The access epoch takes a value never taken before instead of counting up: a counter can go
-- back (an asynchronous failover that loses the last commits, a restored backup, the migration
-- run down and up) and then count up through values a node has already cached other contexts
-- under, which it would serve again. `moves` counts the moves (for tests and for the curious).
-- The once-per-transaction flag names the transaction it was set in, so a setting made outside
-- a transaction (`SET`, `ALTER ROLE … SET`) cannot stop the epoch from moving.
ALTER TABLE access_epoch ADD COLUMN moves BIGINT NOT NULL DEFAULT 0;
UPDATE access_epoch SET moves = n, n = floor(random() * 9e18)::bigint WHERE id = 1;

CREATE OR REPLACE FUNCTION bump_access_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('portico.access_epoch_moved_in', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('portico.access_epoch_moved_in', txid_current()::text, true);
        UPDATE access_epoch SET n = floor(random() * 9e18)::bigint, moves = moves + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;
