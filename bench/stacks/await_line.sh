#!/bin/bash
# await_line.sh FILE NAME COMMAND...: runs COMMAND once a line of FILE holds
# "ready:NAME", the ready line of the stack's process NAME (built here, so that a
# tool echoing this command line cannot fake it). The stacks benchmark starts the
# dependent process through it under the peers that cannot wait for another
# process's ready line (foreman, concurrently, supervisord): what their users write
# instead. Event-driven: tail -F follows FILE by inotify (and waits for it to
# appear), grep ends at the first match; the tail then ends at its next write
# into the closed pipe.
set -u
file=$1 text="ready:$2"
shift 2
grep -q -m1 -F -- "$text" < <(exec tail -n +1 -F -- "$file" 2>/dev/null) || exit 1
exec "$@"
