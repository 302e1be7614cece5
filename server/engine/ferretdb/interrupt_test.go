package main

// The modernc.org/sqlite patch that interrupts a statement through context.AfterFunc (instead of a goroutine per
// statement) must still stop a running statement when its context ends, and leave later statements alone.

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCancelledContextInterruptsAStatement(t *testing.T) {
	db := openMemory(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	var n int64
	err := db.QueryRowContext(ctx,
		`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT count(*) FROM c`).Scan(&n)
	if err == nil {
		t.Fatalf("an endless statement returned %d", n)
	}
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Fatalf("interrupted only after %s", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("unexpected error %v", err)
	}
	// The connection is fine afterwards, and a statement that ended before its context is not interrupted later.
	for i := 0; i < 100; i++ {
		short, stop := context.WithCancel(context.Background())
		if err := db.QueryRowContext(short, `SELECT 42`).Scan(&n); err != nil || n != 42 {
			t.Fatalf("after the interrupt: %d %v", n, err)
		}
		stop()
	}
	if err := db.QueryRowContext(context.Background(),
		`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000) SELECT count(*) FROM c`).Scan(&n); err != nil || n != 200000 {
		t.Fatalf("a later statement: %d %v", n, err)
	}
}
