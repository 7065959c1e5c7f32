-- Slowing password guessing down (see the server's throttle module): attempts per account or
-- known device, shared by every server process, and the devices each account signed in on.

-- One row per account (by a hash of its email, never the email) or known device that was
-- tried within the last window. Rows past their window are deleted as new ones arrive.
CREATE TABLE sign_in_attempts (
    throttle_key TEXT PRIMARY KEY,
    -- Attempts since the last success, within the window.
    attempts BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    -- The next attempt is refused before this time.
    next_at BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_last ON sign_in_attempts (last_at);

-- Browsers that signed in to an account before, by a hash of their cookie's token.
CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id, created_at);

-- Emails are stored lower-cased whole. Older versions kept the case of the part before the @
-- from `create-admin`, which made accounts nobody could sign in to. An email whose lower-case
-- form another account already has is left for an operator to resolve.
UPDATE users SET email = LOWER(TRIM(email))
WHERE email <> LOWER(TRIM(email))
  AND NOT EXISTS (
      SELECT 1 FROM users other
      WHERE other.id <> users.id AND LOWER(TRIM(other.email)) = LOWER(TRIM(users.email))
  );
