## Settings

settings = Settings
settings-language = Language
settings-language-device = As this device is set ({ $language })
settings-this-device = This device

## Storage on this device

storage-checking = Checking storage…
storage-unknown = This browser does not say how it keeps the app's data.
storage-kept = Storage: kept by the browser.
storage-may-be-cleared = Storage: may be cleared by the browser if the device runs short of space.
storage-using-of = Using { $used } of { $available } available.
storage-using = Using { $used }.
storage-usage-unknown = The browser does not say how much room the app uses.
