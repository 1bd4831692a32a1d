-- Back to one plain table (every partition's rows kept), unique on external_id again.
ALTER TABLE cdrs RENAME TO cdrs_partitioned;
ALTER INDEX cdrs_pkey RENAME TO cdrs_partitioned_pkey;
ALTER INDEX cdrs_list RENAME TO cdrs_partitioned_list;
ALTER TABLE cdrs_partitioned DROP CONSTRAINT cdrs_account_id_fkey;
ALTER TABLE cdrs_partitioned DROP CONSTRAINT cdrs_direction_check;

CREATE TABLE cdrs (
    id BIGINT PRIMARY KEY DEFAULT nextval('cdrs_id_seq'),
    external_id TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
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
    recording_size BIGINT
);
ALTER SEQUENCE cdrs_id_seq OWNED BY cdrs.id;
CREATE INDEX cdrs_list ON cdrs(customer_id, direction, time_start, id);

INSERT INTO cdrs SELECT id, external_id, customer_id, account_id, direction, time_start,
       time_connect, time_end, duration, billed_duration, success, src_number, dst_number,
       destination_prefix, destination_name, rate, price, disconnect_code, disconnect_reason,
       recording, recording_size
  FROM cdrs_partitioned;

DROP TABLE cdrs_partitioned;
DROP FUNCTION cdrs_forget_key();
DROP TABLE cdr_keys;
