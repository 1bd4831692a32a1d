DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE login_throttle;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE customers;
DROP TABLE settings;
