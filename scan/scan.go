// Package scan runs offline screening over a file of listings, as a
// brand-protection analyst does with an export or a scrape: read and validate
// every record first, screen on all cores, write the decisions in input order
// to a temporary file and move it into place only when everything succeeded.
package scan

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/screen"
)

// Config describes one scan.
type Config struct {
	Engine *screen.Engine
	// InPath is the listings file: .jsonl/.json/.ndjson or .csv.
	InPath string
	// OutPath is the decisions file; empty writes to Out.
	OutPath string
	Out     io.Writer
	// Progress, when set, receives a progress line now and then (stderr on a terminal).
	Progress io.Writer
	Workers  int
	Options  feed.ListingOptions
	// HashImages hashes a listing's image files (paths relative to the
	// listings file); nil ignores images.
	HashImages func(path string) (screen.ListingImage, error)
}

// Summary counts what a scan decided.
type Summary struct {
	Listings int
	Actions  map[hallmark.Action]int
	Brands   map[string]int // blocked or reviewed listings per brand
	Images   int
	Elapsed  time.Duration
}

// String renders the summary for a person.
func (s Summary) String() string {
	var b strings.Builder
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Listings) / s.Elapsed.Seconds()
	}
	fmt.Fprintf(&b, "screened %d listings in %s (%.0f/s): %d block, %d review, %d allow",
		s.Listings, s.Elapsed.Round(time.Millisecond), rate, s.Actions[hallmark.Block], s.Actions[hallmark.Review], s.Actions[hallmark.Allow])
	if s.Images > 0 {
		fmt.Fprintf(&b, "; %d images hashed", s.Images)
	}
	return b.String()
}

// Run screens every listing of cfg.InPath.
func Run(ctx context.Context, cfg Config) (Summary, error) {
	start := time.Now()
	sum := Summary{Actions: map[hallmark.Action]int{}, Brands: map[string]int{}}
	records, err := readAll(cfg)
	if err != nil {
		return sum, err
	}
	decisions := make([]*hallmark.Decision, len(records))
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	baseDir := filepath.Dir(cfg.InPath)

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		done     int
		images   int
	)
	next := make(chan int, workers*4)
	progress := newProgress(cfg.Progress, len(records))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rec := &records[i]
				in := &screen.Input{Listing: &rec.Listing}
				var err error
				if cfg.HashImages != nil {
					for _, ref := range rec.Listing.Images {
						p := ref
						if !filepath.IsAbs(p) {
							p = filepath.Join(baseDir, filepath.FromSlash(p))
						}
						img, herr := cfg.HashImages(p)
						if herr != nil {
							err = fmt.Errorf("%s:%d: image %q: %w", cfg.InPath, rec.Line, ref, herr)
							break
						}
						img.Ref = ref
						in.Images = append(in.Images, img)
					}
				}
				var d *hallmark.Decision
				if err == nil {
					d, err = cfg.Engine.ScreenInput(in)
					if err != nil {
						err = fmt.Errorf("%s:%d: %w", cfg.InPath, rec.Line, err)
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				decisions[i] = d
				done++
				images += len(in.Images)
				progress.update(done)
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range records {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
	}
	close(next)
	wg.Wait()
	progress.finish()
	if firstErr != nil {
		return sum, firstErr
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	if err := writeAll(cfg, decisions); err != nil {
		return sum, err
	}
	for _, d := range decisions {
		sum.Listings++
		sum.Actions[d.Action]++
		if d.Action > hallmark.Allow && d.BrandID != "" {
			sum.Brands[d.BrandID]++
		}
	}
	sum.Images = images
	sum.Elapsed = time.Since(start)
	return sum, nil
}

func readAll(cfg Config) ([]feed.Record, error) {
	f, err := os.Open(cfg.InPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var records []feed.Record
	collect := func(r feed.Record) error {
		records = append(records, r)
		return nil
	}
	switch strings.ToLower(filepath.Ext(cfg.InPath)) {
	case ".csv":
		err = feed.ReadListingsCSV(f, cfg.InPath, cfg.Options, collect)
	default:
		err = feed.ReadListingsJSONL(f, cfg.InPath, cfg.Options, collect)
	}
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: no listings in the file", cfg.InPath)
	}
	return records, nil
}

// writeAll writes decisions in input order. A file output goes to a
// temporary file in the same folder, renamed into place at the end, so a
// failed scan never leaves a partial decisions file behind.
func writeAll(cfg Config, decisions []*hallmark.Decision) (err error) {
	if cfg.OutPath == "" {
		w := cfg.Out
		if w == nil {
			w = os.Stdout
		}
		for _, d := range decisions {
			if err := feed.WriteDecision(w, d); err != nil {
				return err
			}
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(cfg.OutPath), "."+filepath.Base(cfg.OutPath)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	for _, d := range decisions {
		if err := feed.WriteDecision(bw, d); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), cfg.OutPath)
}
