//! Likely duplicate people: suggestions by phone, email and close name at one address.
