package main

// SQLite copies its write-ahead log back into the database file (a checkpoint) only up to the oldest snapshot a reader
// still holds, and starts the log over only once every frame was copied and no reader uses the log. FerretDB
// checkpoints inside each commit, and here a commit nearly always has a read open beside it (the update's own read of
// the document it rewrites, or another client's find: reads are not serialized), so in a busy engine the log never
// started over. It grew past wal_autocheckpoint (40 MB) within a minute, and from then on EVERY commit ran a checkpoint
// attempt that sorted the log's index and fsynced twice: 12 % of a bulk update's engine CPU, and its wall time doubled
// (profile in /work/notes/s6-H6c.md). This loop checkpoints between write commands instead: it takes the proxy's write
// lock (no commit can start), lets the reads in flight end (busy_timeout), copies the log and truncates it. Same
// durability: a checkpoint fsyncs the log before and the database after copying. A read that stays open (a scan of a
// big collection) keeps the log from starting over whatever we do: the checkpoint then gives up after checkpointBusyMs
// and the loop waits longer each time (up to checkpointMaxBackoff), so writes are not held over and over for it.

import (
	"context"
	"database/sql"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // FerretDB's SQLite driver (registers "sqlite")
)

const (
	checkpointEvery = 100 * time.Millisecond
	// ~1,000 pages: small enough that a checkpoint holds writes for a few ms, large enough that a page rewritten by
	// many commits is copied once.
	checkpointWALBytes = 4 << 20
	// Reads in flight get this long to end; writes wait meanwhile. A find by _id takes ~1 ms, but on a saturated
	// engine a read in flight may take tens of ms, and a checkpoint that gives up leaves the log growing.
	checkpointBusyMs = "50"
	// After a checkpoint that had to give up, the next waits twice as long, up to this: a scan of a big collection
	// (one read transaction of seconds) then holds writes for 50 ms a second at most, not every 100 ms.
	checkpointMaxBackoff = time.Second
)

// checkpointLoop checkpoints every database in dir whose log passed checkpointWALBytes, holding writes.
func checkpointLoop(ctx context.Context, dir string, writes *sync.Mutex, log *slog.Logger) {
	wait := checkpointEvery
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		gaveUp := false
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			if st, err := os.Stat(file + "-wal"); err != nil || st.Size() < checkpointWALBytes {
				continue
			}
			busy, err := checkpoint(ctx, file, writes)
			if err != nil {
				log.Warn("checkpoint failed", "file", file, "error", err)
			}
			gaveUp = gaveUp || busy || err != nil
		}
		if gaveUp {
			wait = min(2*wait, checkpointMaxBackoff)
		} else {
			wait = checkpointEvery
		}
	}
}

// checkpoint runs wal_checkpoint(TRUNCATE) on its own connection while no write command runs. A database dropped
// meanwhile (dropDatabase is a write, so it is not running now) is skipped: mode=rw never creates the file.
// It reports busy when a read outlived busy_timeout: the log was copied as far as that read allows.
func checkpoint(ctx context.Context, file string, writes *sync.Mutex) (busy bool, err error) {
	writes.Lock()
	defer writes.Unlock()
	if _, err := os.Stat(file); err != nil {
		return false, nil
	}
	q := url.Values{"mode": {"rw"}, "_pragma": {"busy_timeout(" + checkpointBusyMs + ")"}}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: file, RawQuery: q.Encode()}).String())
	if err != nil {
		return false, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var blocked, frames, copied int
	err = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&blocked, &frames, &copied)
	return blocked != 0, err
}
