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
app-screen-opening = Opening…
app-screen-unavailable = This screen is not stored on this phone yet, and there is no connection to fetch it. Your work is safe.
app-screen-try-again = Try again

## What went wrong, for the person holding the phone

app-error-offline = No connection. Check your signal and try again.
app-error-timed-out = The server did not answer in time. Check your signal and try again.
app-error-signed-out = You have been signed out. Sign in again to continue.
app-error-refused = The server refused the request.
app-error-unexpected = Something went wrong on the server. Try again later.
app-error-replaced = { -app } was updated in another tab. Reload this one to carry on: nothing here is lost.
app-error-loading = Your data is still loading. Try again in a moment.
app-error-not-saved = That could not be saved. { $problems }
app-error-not-saved-because = That could not be saved: { $why }.
app-error-check-fields = That was not saved: see the notes beside the fields.
app-error-storage-full = This device has no room left for the app's data, so the last change was not saved on it. Free some space on the device, then try again.
app-error-storage-unavailable = This browser does not let the app store data on the device. Turn off private browsing, or allow sites to store data, then reload the app.
app-error-storage-data = The app could not save or read its data on this device, and nothing was changed. Please report this problem: { $detail }
app-error-storage-failed = This device's storage failed, and nothing was changed. Try again; if it keeps failing, restart the browser. ({ $detail })

## A link to give someone

share = Share link
share-copy = Copy link
share-copied = Link copied.
share-copy-failed = This browser would not copy. The link is selected in the box above: copy it from there.
