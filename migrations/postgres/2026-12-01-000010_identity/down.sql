DROP TABLE outbox;
DROP TABLE rate_counters;
DROP TABLE password_resets;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
