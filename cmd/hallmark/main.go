// Command hallmark is Hallmark's one binary: publish-time screening over
// HTTP (serve, demo), offline screening of listing files (scan), registry
// import, rules checking, image hashing and API key management.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `hallmark: anti-counterfeiting screening for online marketplaces

Usage:
  hallmark demo   [flags]    run the demo marketplace (SQLite, seeded data) on 127.0.0.1:8080
  hallmark serve  [flags]    run the HTTP API against a database
  hallmark scan   [flags]    screen a file of listings offline
  hallmark import [flags]    load a brand registry into a database
  hallmark rules check FILE  validate a rules file
  hallmark rules show        print the embedded default policy
  hallmark keys create       create an API key
  hallmark hash FILE...      print the PDQ hash and quality of images
  hallmark version           print the version

Run 'hallmark COMMAND -h' for a command's flags.
`

var version = "dev"

// exitError carries an exit code out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	default:
		fmt.Fprintln(os.Stderr, "hallmark:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{2}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "scan":
		return cmdScan(ctx, rest, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr)
	case "rules":
		return cmdRules(rest, stdout, stderr)
	case "keys":
		return cmdKeys(ctx, rest, stdout, stderr)
	case "hash":
		return cmdHash(rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "hallmark", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "hallmark: unknown command %q\n\n%s", cmd, usage)
	return exitError{2}
}

// newFlags returns a flag set that prints its usage to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: hallmark %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and turns a bad command line into exit status 2.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return exitError{2}
	}
	return nil
}
