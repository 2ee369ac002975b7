package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/server/store"
)

const keysUsage = `usage: lipservice-server keys create --team N [--name NAME] [--db DSN]
       lipservice-server keys list   --team N [--db DSN]
       lipservice-server keys revoke --team N --id ID [--db DSN]

Keys manages the API keys of the control-plane server (lipservice-server serve).
A key belongs to one team and gives access to that team's services only.

create prints a new key on stdout, once: only its hash is stored, so it
cannot be shown again. Send it as "Authorization: Bearer <key>".
list prints the team's keys (id, prefix, name, created, revoked).
revoke disables the key with the given id.

Exit status: 0 on success; 2 for a usage error or a database failure.

Flags:
`

func runKeys(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		cliflag.FailProgram(stderr, "lipservice-server", "keys", errors.New("missing subcommand (create, list or revoke)"))
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprint(stderr, keysUsage)
		return 0
	}
	sub := args[0]
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.Int64("team", 0, "team `N` (required, positive)")
	name := fs.String("name", "", "a label for the key (create)")
	id := fs.Int64("id", 0, "key `ID` (revoke)")
	dsn := fs.String("db", "lipservice.db", "database: a SQLite file path or a postgres:// `DSN`")
	fs.Usage = func() { fmt.Fprint(stderr, keysUsage); fs.PrintDefaults() }
	if code, ok := cliflag.ParseProgram("lipservice-server", fs, args[1:], stderr); !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "lipservice-server: keys: "+format+"\n", a...)
		return 2
	}
	if sub != "create" && sub != "list" && sub != "revoke" {
		return fail("unknown subcommand %q (want create, list or revoke)", sub)
	}
	if *team <= 0 {
		return fail("--team must be a positive team id")
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	st, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	switch sub {
	case "create":
		key, _, err := st.CreateKey(ctx, *team, *name)
		if err != nil {
			return fail("%v", err)
		}
		fmt.Fprintln(stdout, key)
	case "list":
		keys, err := st.Keys(ctx, *team)
		if err != nil {
			return fail("%v", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tCREATED\tREVOKED")
		for _, k := range keys {
			fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.CreatedAt.Format(time.RFC3339), strconv.FormatBool(k.Revoked))
		}
		tw.Flush()
	case "revoke":
		if err := st.RevokeKey(ctx, *team, *id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fail("team %d has no active key with id %d", *team, *id)
			}
			return fail("%v", err)
		}
	}
	return 0
}
