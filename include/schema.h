/* schema.h — the SQL of each schema version, applied in order by store.c. */
#ifndef LIAISON_SCHEMA_H
#define LIAISON_SCHEMA_H

/* schema_migrations[v] takes a database from version v to v + 1. */
extern const char *const schema_migrations[];
extern const int schema_migration_count;

#endif
