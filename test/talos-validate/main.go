// Command talos-validate validates Talos machine configuration files offline,
// using the same machinery calls as `talosctl validate --mode <mode> [--strict]`:
// configloader.NewFromFile + Provider.Validate(mode, validation.WithLocal()[, validation.WithStrict()]).
//
// Usage: talos-validate [--mode metal] [--strict] FILE...
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/siderolabs/talos/pkg/machinery/config/configloader"
	"github.com/siderolabs/talos/pkg/machinery/config/validation"
)

// runtimeMode mirrors Talos' internal runtime.Mode (internal/app/machined/pkg/runtime),
// which cannot be imported from outside the talos module.
type runtimeMode string

var _ validation.RuntimeMode = runtimeMode("")

func (m runtimeMode) String() string { return string(m) }

// RequiresInstall is true only for "metal" (not "metal-agent"), as in Talos.
func (m runtimeMode) RequiresInstall() bool { return m == "metal" }

// InContainer is true only for "container", as in Talos.
func (m runtimeMode) InContainer() bool { return m == "container" }

func parseMode(s string) (runtimeMode, error) {
	switch s {
	case "metal", "cloud", "container", "metal-agent":
		return runtimeMode(s), nil
	default:
		return "", fmt.Errorf("unknown runtime mode: %q (valid: metal, cloud, container, metal-agent)", s)
	}
}

// flatten expands (possibly nested and prefixed) multierrors into individual messages.
// A wrapper like fmt.Errorf("v1alpha1.Config: %w", multiErr) keeps its prefix on each child.
func flatten(err error, prefix string) []string {
	type multi interface{ WrappedErrors() []error }

	if err == nil {
		return nil
	}

	if m, ok := err.(multi); ok {
		var out []string
		for _, e := range m.WrappedErrors() {
			out = append(out, flatten(e, prefix)...)
		}

		return out
	}

	if inner := errors.Unwrap(err); inner != nil {
		if _, ok := inner.(multi); ok {
			p := strings.TrimSuffix(err.Error(), inner.Error())
			if p != err.Error() {
				return flatten(inner, prefix+p)
			}
		}
	}

	return []string{prefix + err.Error()}
}

func validateFile(path string, mode runtimeMode, strict bool) bool {
	cfg, err := configloader.NewFromFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: error: load: %v\n", path, err)

		return false
	}

	opts := []validation.Option{validation.WithLocal()}
	if strict {
		opts = append(opts, validation.WithStrict())
	}

	warnings, err := cfg.Validate(mode, opts...)
	for _, w := range warnings {
		fmt.Fprintf(os.Stderr, "%s: warning: %s\n", path, w)
	}

	msgs := flatten(err, "")
	for _, msg := range msgs {
		fmt.Fprintf(os.Stderr, "%s: error: %s\n", path, msg)
	}

	if err != nil && len(msgs) == 0 {
		fmt.Fprintf(os.Stderr, "%s: error: %v\n", path, err)
	}

	// WithStrict turns v1alpha1 warnings into errors; warnings from other documents
	// are still returned as warnings, so treat any remaining ones as fatal too.
	if err != nil || (strict && len(warnings) > 0) {
		return false
	}

	fmt.Printf("%s: ok\n", path)

	return true
}

func main() {
	modeArg := flag.String("mode", "metal", "runtime mode to validate for (metal, cloud, container, metal-agent)")
	strict := flag.Bool("strict", false, "treat validation warnings as errors")

	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [--mode metal] [--strict] FILE...\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()

	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}

	mode, err := parseMode(*modeArg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	failed := false

	for _, path := range flag.Args() {
		if !validateFile(path, mode, *strict) {
			failed = true
		}
	}

	if failed {
		os.Exit(1)
	}
}
