package main

import (
	"fmt"
	"io"

	"github.com/hallmark-dev/hallmark/rules"
)

func cmdRules(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "Usage: hallmark rules check FILE | hallmark rules show")
		return exitError{2}
	}
	switch args[0] {
	case "show":
		_, err := stdout.Write(rules.DefaultSource())
		return err
	case "check":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "Usage: hallmark rules check FILE")
			return exitError{2}
		}
		p, err := rules.LoadFile(args[1])
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitError{1}
		}
		fmt.Fprintf(stdout, "%s: ok, %d rules (version %q, review at %g, block at %g)\n", args[1], len(p.Rules), p.Version, p.ReviewAt, p.BlockAt)
		return nil
	}
	fmt.Fprintf(stderr, "hallmark rules: unknown subcommand %q (want check or show)\n", args[0])
	return exitError{2}
}
