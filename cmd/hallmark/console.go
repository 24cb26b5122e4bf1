package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/rules"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/web"
)

// withConsole serves the web console under /console/ and everything else
// with api. The console shares the takedown service (and so the sessions)
// with the API. reload, if given, is how the console asks screening to
// reload the brand registry after it changed a brand (serve passes
// reloadingEngine{eng}.Reload, which also re-indexes the protected photos).
func withConsole(api http.Handler, st store.Store, takedown *notice.Service, policy *rules.Policy, log *slog.Logger,
	reload ...func(context.Context) error) (http.Handler, error) {
	cfg := web.Config{Store: st, Takedown: takedown, Logger: log, Clock: takedown.Config().Clock}
	for _, f := range reload {
		if f != nil {
			cfg.Reload = f
		}
	}
	if policy != nil {
		cfg.PolicyName, cfg.PolicySource = policy.Source, policy.Text
	}
	console, err := web.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(web.Prefix+"/", console)
	mux.Handle("/", api)
	return mux, nil
}
