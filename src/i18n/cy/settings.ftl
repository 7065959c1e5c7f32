## Settings

settings = Gosodiadau
settings-language = Iaith
settings-language-device = Fel y mae'r ddyfais hon ({ $language })
settings-this-device = Y ddyfais hon

## Storage on this device

storage-checking = Wrthi'n gwirio'r storfa…
storage-unknown = Nid yw'r porwr hwn yn dweud sut mae'n cadw data'r ap.
storage-kept = Storfa: mae'r porwr yn ei chadw.
storage-may-be-cleared = Storfa: gall y porwr ei chlirio os yw'r ddyfais yn brin o le.
storage-using-of = Yn defnyddio { $used } o'r { $available } sydd ar gael.
storage-using = Yn defnyddio { $used }.
storage-usage-unknown = Nid yw'r porwr yn dweud faint o le mae'r ap yn ei ddefnyddio.
