//! Likely duplicate people: who shares a phone number or an email, or has a close name at
//! the same address, so that an organiser can merge them.
