-- CDRs become a table partitioned by calendar month (UTC) of time_start (epoch ms): one
-- partition per month, named cdrs_YYYY_MM, each with its own indexes, so that lists, exports
-- and reports read only the months they ask for and retention drops whole months. The
-- partitions are created ahead of the data (traffic::partitions::ensure, by migrate/serve, by
-- ingest and by the daily run); there is no default partition, so a month is always one table.
--
-- The data is kept: the old table is renamed, the partitioned one created with the same
-- columns and the same id sequence, the rows copied, the old table dropped.
ALTER TABLE cdrs RENAME TO cdrs_unpartitioned;
ALTER INDEX cdrs_pkey RENAME TO cdrs_unpartitioned_pkey;
ALTER INDEX cdrs_external_id_key RENAME TO cdrs_unpartitioned_external_id_key;
ALTER INDEX cdrs_list RENAME TO cdrs_unpartitioned_list;
ALTER TABLE cdrs_unpartitioned DROP CONSTRAINT cdrs_customer_id_fkey;
ALTER TABLE cdrs_unpartitioned DROP CONSTRAINT cdrs_account_id_fkey;
ALTER TABLE cdrs_unpartitioned DROP CONSTRAINT cdrs_direction_check;

-- A primary key of a partitioned table must contain the partition key: (id, time_start).
-- Ids stay unique through the sequence; `external_id` is kept unique by cdr_keys below, and
-- compared bytewise (an opaque id: no language rules to apply, cheaper to index).
-- `customer_id` is the account's customer (ingest resolves it): the account's foreign key
-- already removes a customer's CDRs with its accounts, and a second check per row would cost
-- a third of the insert.
CREATE TABLE cdrs (
    id BIGINT NOT NULL DEFAULT nextval('cdrs_id_seq'),
    external_id TEXT COLLATE "C" NOT NULL,
    customer_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    direction SMALLINT NOT NULL CHECK (direction IN (0, 1)),
    time_start BIGINT NOT NULL,
    time_connect BIGINT,
    time_end BIGINT,
    duration INTEGER NOT NULL,
    billed_duration INTEGER NOT NULL,
    success BOOLEAN NOT NULL,
    src_number TEXT NOT NULL,
    dst_number TEXT NOT NULL,
    destination_prefix TEXT NOT NULL,
    destination_name TEXT NOT NULL,
    rate BIGINT NOT NULL,
    price BIGINT NOT NULL,
    disconnect_code INTEGER,
    disconnect_reason TEXT NOT NULL,
    recording TEXT,
    recording_size BIGINT,
    PRIMARY KEY (id, time_start)
) PARTITION BY RANGE (time_start);
ALTER SEQUENCE cdrs_id_seq OWNED BY cdrs.id;
-- The list: one customer, one direction, a time range, newest first (keyset on time, id).
CREATE INDEX cdrs_list ON cdrs(customer_id, direction, time_start, id);

-- Idempotency of ingest on the switch's id: a unique index on the partitioned table would
-- have to contain time_start, so the ids live in this narrow table (one row per CDR).
CREATE TABLE cdr_keys (
    external_id TEXT COLLATE "C" PRIMARY KEY,
    cdr_id BIGINT NOT NULL,
    time_start BIGINT NOT NULL
);
-- A CDR that is deleted (with its customer or account) gives its id back, as the unique index
-- did. Retention drops whole partitions, which fires no trigger: it deletes the keys itself.
CREATE FUNCTION cdrs_forget_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cdr_keys WHERE external_id = OLD.external_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER cdrs_forget_key AFTER DELETE ON cdrs FOR EACH ROW EXECUTE FUNCTION cdrs_forget_key();

-- A partition for every month that has CDRs, and for the current and the next month.
DO $$
DECLARE
    m timestamp;
BEGIN
    FOR m IN
        SELECT date_trunc('month', to_timestamp(time_start / 1000.0) AT TIME ZONE 'UTC')
          FROM cdrs_unpartitioned
        UNION
        SELECT date_trunc('month', now() AT TIME ZONE 'UTC')
        UNION
        SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month'
    LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF cdrs FOR VALUES FROM (%s) TO (%s)',
            'cdrs_' || to_char(m, 'YYYY_MM'),
            (extract(epoch FROM m) * 1000)::bigint,
            (extract(epoch FROM m + interval '1 month') * 1000)::bigint
        );
    END LOOP;
END
$$;

INSERT INTO cdrs (id, external_id, customer_id, account_id, direction, time_start, time_connect,
                  time_end, duration, billed_duration, success, src_number, dst_number,
                  destination_prefix, destination_name, rate, price, disconnect_code,
                  disconnect_reason, recording, recording_size)
SELECT id, external_id, customer_id, account_id, direction, time_start, time_connect,
       time_end, duration, billed_duration, success, src_number, dst_number,
       destination_prefix, destination_name, rate, price, disconnect_code,
       disconnect_reason, recording, recording_size
  FROM cdrs_unpartitioned;
INSERT INTO cdr_keys (external_id, cdr_id, time_start)
SELECT external_id, id, time_start FROM cdrs_unpartitioned;

DROP TABLE cdrs_unpartitioned;
ANALYZE cdrs;
ANALYZE cdr_keys;
