"""The one declaration per registry (`Kind`) and its column types.

Storage, import/export, list/show/history and the generated formats document are all driven by
these declarations; the package depends on the domain only, so every layer can depend on it.
"""
