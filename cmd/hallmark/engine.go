package main

import (
	"context"
	"flag"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/rules"
	"github.com/hallmark-dev/hallmark/screen"
)

// engineFlags are the screening options shared by scan, serve and demo.
type engineFlags struct {
	rules, lexicon, rates string
}

func (f *engineFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.rules, "rules", "", "rules `file` (default: the embedded policy; see 'hallmark rules show')")
	fs.StringVar(&f.lexicon, "lexicon", "", "lexicon `file` replacing the embedded counterfeit and context wording")
	fs.StringVar(&f.rates, "rates", "", "currency rates `file`: JSON object of units per US dollar")
}

func (f *engineFlags) build(brands []hallmark.Brand, loader func(context.Context) ([]hallmark.Brand, error)) (*screen.Engine, error) {
	var opts screen.Options
	var err error
	if f.rules != "" {
		if opts.Policy, err = rules.LoadFile(f.rules); err != nil {
			return nil, err
		}
	}
	if f.lexicon != "" {
		if opts.Lexicon, err = screen.LoadLexicon(f.lexicon); err != nil {
			return nil, err
		}
	}
	if f.rates != "" {
		if opts.Rates, err = screen.LoadRates(f.rates); err != nil {
			return nil, err
		}
	}
	opts.Loader = loader
	return screen.New(brands, opts)
}
