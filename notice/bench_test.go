package notice_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store/sqlite"
)

// BenchmarkSchedulerMillionTimers measures the durable scheduler with a
// million pending timers in SQLite (HALLMARK_BENCH_TIMERS to change the
// count): the memory the process needs for them, the cost of one poll when
// nothing is due, and the time to fire a batch of 1,000 that fall due
// (one op). The timers point at no counter-notice, so firing measures the
// scheduler itself: find, claim (delete) and dispatch, one transaction each.
func BenchmarkSchedulerMillionTimers(b *testing.B) {
	total := 1_000_000
	if v := os.Getenv("HALLMARK_BENCH_TIMERS"); v != "" {
		total, _ = strconv.Atoi(v)
	}
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "timers.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	const batch = 20000
	for i := 0; i < total; i += batch {
		err := db.UpdateTakedown(ctx, func(tx notice.Tx) error {
			for j := i; j < min(i+batch, total); j++ {
				// One due every second, from t0 on.
				if err := tx.AddTimer(ctx, &notice.Timer{Kind: notice.TimerRestore, RefID: int64(1e9 + j), Due: t0.Add(time.Duration(j) * time.Second)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	load := time.Since(start)
	now := t0.Add(-time.Second)
	svc := notice.New(db, notice.Config{Clock: func() time.Time { return now }})
	// A poll with nothing due: what every scheduler tick costs.
	pollStart := time.Now()
	const polls = 100
	for range polls {
		if n, err := svc.RunDue(ctx); err != nil || n != 0 {
			b.Fatal(n, err)
		}
	}
	poll := time.Since(pollStart) / polls
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	fi, _ := os.Stat(path)
	b.Logf("%d timers stored in %v (%.0f/s); database %.1f MB; Go heap %+.1f MB; empty poll %v",
		total, load.Round(time.Millisecond), float64(total)/load.Seconds(), float64(fi.Size())/1e6,
		(float64(after.HeapAlloc)-float64(before.HeapAlloc))/1e6, poll)
	b.ReportMetric(float64(poll.Microseconds()), "µs/empty-poll")

	fired := 0
	b.ResetTimer()
	for b.Loop() {
		if fired+1000 > total {
			b.Fatal("out of timers: lower -benchtime")
		}
		now = t0.Add(time.Duration(fired+999) * time.Second)
		n, err := svc.RunDue(ctx)
		if err != nil || n != 1000 {
			b.Fatalf("fired %d: %v", n, err)
		}
		fired += n
	}
	b.ReportMetric(float64(fired)/b.Elapsed().Seconds(), "timers/s")
}
