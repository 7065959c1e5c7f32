# Organise's messages in British English: the reference catalogue, complete. Each file of
# this folder holds one screen's messages (this one, the app's frame); ids are unique across
# the folder.
#
# Each message becomes a function of `crate::i18n::t` (`sign-in` → `t::sign_in()`).
# A variable used as a plural selector or in NUMBER() is a count; in DATETIME(), a moment.
# Prefixes group messages by screen; the doorstep's groups must be complete in Welsh
# (see DOORSTEP in src/i18n.rs).

-app = Organise

## The app's frame

app-name = { -app }
app-nav-main = Main
app-nav-lists = Lists
app-nav-people = People
app-nav-settings = Settings
app-loading = Loading…
app-not-found = Page not found
app-go-to-start = Go to the start
app-update-available = A new version of { -app } is available.
app-update-now = Update now
