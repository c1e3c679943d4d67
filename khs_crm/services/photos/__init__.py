"""Job photos: storage, checks, GPS stripping, bounded decodes, thumbnails, batches."""
