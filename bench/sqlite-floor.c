/*
 * sqlite-floor.c: the least a "guild runs" that reads the run index can
 * cost, for bench/startup.sh to set beside guild's own figures.
 *
 *	sqlite-floor RUNS.DB [open]
 *
 * Opens the index as guild does (the same SQLite configuration, read
 * through the mapping; read-only), then reads the 20 newest runs' ids in the order
 * of the runs_list index, as "guild runs" does before anything else:
 * no directory is looked at, nothing is printed. With "open" it stops
 * after opening. Exits 0 when it read 20 rows (or opened).
 */
#include <sqlite3.h>
#include <string.h>

int
main(int argc, char **argv)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 n = 0, persist = 1;

	if (argc < 2)
		return 2;
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 128, 64);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/*
	 * Read-only, the WAL kept: a connection of its own that deleted the
	 * WAL at close would change the index's files under guild's kept
	 * listing (src/runindex-snap.c) at every round.
	 */
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY|
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return 1;
	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	if (argc > 2 && strcmp(argv[2], "open") == 0) {
		sqlite3_close(db);
		return 0;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA mmap_size=1073741824", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE deleted = 0 "
	    "ORDER BY ts DESC, id LIMIT 20", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return 1;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n == 20 ? 0 : 1;
}
