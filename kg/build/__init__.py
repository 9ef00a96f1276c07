"""The build side, last rooms: validate the mapped facts and publish a release (dumps,
checksums, the tables as CSVW, the search index), atomically."""
