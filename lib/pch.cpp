// Compiles the precompiled header that every layer library reuses.
