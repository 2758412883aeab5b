-- Login attempts are throttled by the client address and the username together, so that
-- failures from elsewhere never lock the real user out.
ALTER TABLE login_attempt ADD COLUMN client TEXT;
CREATE INDEX login_attempt_client ON login_attempt (client, at);
