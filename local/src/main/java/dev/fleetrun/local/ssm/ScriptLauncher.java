package dev.fleetrun.local.ssm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Starts the nodes' scripts, confined as the {@link ScriptIsolation} says, so that no script outlives
 * the runtime, however the runtime ends (closed, an exception, SIGTERM, or SIGKILL of the JVM):
 * <ul>
 *   <li>With bubblewrap, each script's sandbox has its own process ids, so the script and everything it
 *       started die when bubblewrap dies; and bubblewrap dies when the thread that started it does
 *       ({@code --die-with-parent} is a parent-death signal, which Linux ties to the starting
 *       <em>thread</em>). So every script is started here, by platform threads that live exactly as
 *       long as this launcher: never by an agent's virtual thread, whose carrier thread the JVM ends
 *       when it has been idle a while, which would kill a long script early.</li>
 *   <li>Each script (bubblewrap, or bash itself without it) is also the leader of a process group of
 *       its own ({@code setsid}), and a reaper process (bash, in a session of its own, deaf to the
 *       terminal's signals) holds a pipe from the JVM: it learns each group as it starts and ends, and
 *       when the pipe closes, that is when the JVM is gone, it kills every group still there. Without
 *       bubblewrap this is what ends the scripts (a script that moves itself to another session escapes
 *       it); with bubblewrap it covers the moment between bubblewrap's start and the point where it sets
 *       its parent-death signal, when a JVM killed would leave it running.</li>
 * </ul>
 * In both cases what a script leaves running in the background ends with it (its pid namespace or its
 * process group), as a simulated node has no init to adopt it.
 */
final class ScriptLauncher implements AutoCloseable {
    /**
     * Threads that start processes. Starting one takes about a millisecond of the starting thread (more
     * with bubblewrap); two keep a wave of a hundred starts from queuing behind one another on a small
     * machine, and no more than that can run at once on its cores anyway.
     */
    static final int STARTERS = 2;
    private static final FutureTask<Process> STOP = new FutureTask<>(() -> null);

    private final ScriptIsolation isolation;
    private final List<Path> shared;
    private final BlockingQueue<FutureTask<Process>> starts = new LinkedBlockingQueue<>();
    private final List<Thread> starters = new ArrayList<>();
    private final Reaper reaper;
    private final Path setsid = ScriptIsolation.onPath("setsid");
    private boolean closed; // guarded by starts

    /** One script to start for a node: its command line before isolation, where it runs, its environment and output. */
    record Launch(String instanceId, Path sandbox, boolean network, List<String> interpreter, Path workingDirectory,
                  Map<String, String> environment, Path stdout, Path stderr) {
    }

    /**
     * @param shared host directories every node's scripts may write besides their own sandbox (tests
     *               that coordinate nodes through marker files)
     */
    ScriptLauncher(ScriptIsolation isolation, List<Path> shared) {
        this.isolation = isolation;
        this.shared = List.copyOf(shared);
        this.reaper = Reaper.start();
        for (int i = 0; i < STARTERS; i++) {
            // Daemon: the runtime's close() or the JVM's exit ends them, and with them (bubblewrap) any script left.
            starters.add(Thread.ofPlatform().daemon().name("node-script-starter-" + i).start(this::startLoop));
        }
    }

    ScriptIsolation isolation() {
        return isolation;
    }

    /**
     * Starts a script. The caller's thread may be any (a virtual thread); the process is started by one
     * of the launcher's own threads.
     *
     * @throws IOException when the process cannot be started, or the launcher is closed
     */
    ScriptProcess start(Launch launch) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (setsid != null) {
            command.add(setsid.toString()); // the process group the reaper kills
        }
        command.addAll(isolation.command(launch.interpreter(), launch.sandbox(), launch.workingDirectory(),
                shared, launch.instanceId(), launch.network()));
        ProcessBuilder builder = ScriptProcess.builder(command, launch.workingDirectory(), launch.environment(),
                launch.stdout(), launch.stderr());
        Process process = onStarter(() -> {
            Process started = builder.start();
            reaper.track(started.pid());
            return started;
        });
        return new ScriptProcess(process, launch.stdout(), launch.stderr(), () -> reaper.end(process.pid()));
    }

    /** Runs {@code start} on a starter thread and returns what it started; waits for it even when interrupted. */
    private Process onStarter(Callable<Process> start) throws IOException, InterruptedException {
        FutureTask<Process> task = new FutureTask<>(start);
        synchronized (starts) {
            if (closed) {
                throw new IOException("the simulated SSM is closed: no more scripts start");
            }
            starts.add(task);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // The process may be starting right now: take it, so that it is not left running unseen.
                    interrupted = true;
                } catch (CancellationException e) {
                    throw new IOException("the simulated SSM closed before the script started", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("could not start a node script: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startLoop() {
        while (true) {
            FutureTask<Process> task;
            try {
                task = starts.take();
            } catch (InterruptedException e) {
                continue; // only close() ends a starter, and it does so with STOP
            }
            if (task == STOP) {
                return;
            }
            task.run();
        }
    }

    /**
     * Stops the starters (with bubblewrap, any script still running dies with them) and the reaper, which
     * kills the groups still there. The simulated SSM kills its scripts before it closes this.
     */
    @Override
    public void close() {
        synchronized (starts) {
            if (closed) {
                return;
            }
            closed = true;
            List<FutureTask<Process>> pending = new ArrayList<>();
            starts.drainTo(pending);
            pending.forEach(task -> task.cancel(false));
            starters.forEach(starter -> starts.add(STOP));
        }
        // A start under way finishes first, so that the reaper learns of its script before it stops.
        for (Thread starter : starters) {
            try {
                starter.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        reaper.close();
    }

    /**
     * A bash process that kills the scripts' process groups when the JVM is gone. It
     * reads lines from a pipe: {@code +PGID} a script started, {@code -PGID} a script ended (what it left
     * behind in its group is killed then); at end of input (the JVM closed the pipe, or died) it kills every
     * group it still knows and exits. It runs in a session of its own and ignores SIGINT, SIGTERM and
     * SIGHUP, so a Ctrl-C or a closed terminal that ends the runtime does not end the reaper first.
     */
    static final class Reaper {
        private static final String SCRIPT = String.join("\n",
                "trap '' INT TERM HUP QUIT PIPE",
                "declare -A groups",
                "while IFS= read -r line; do",
                "  case $line in",
                "    +*) groups[${line:1}]=1 ;;",
                "    -*) kill -KILL -- \"-${line:1}\" 2>/dev/null; unset \"groups[${line:1}]\" ;;",
                "  esac",
                "done",
                "for group in \"${!groups[@]}\"; do kill -KILL -- \"-$group\" 2>/dev/null || kill -KILL \"$group\" 2>/dev/null; done",
                "");

        private final Process process;
        private final OutputStream pipe;
        private boolean broken;

        private Reaper(Process process) {
            this.process = process;
            this.pipe = process.getOutputStream();
        }

        static Reaper start() {
            Path setsid = ScriptIsolation.onPath("setsid");
            List<String> command = new ArrayList<>();
            if (setsid != null) {
                command.add(setsid.toString());
            }
            command.addAll(List.of("bash", "-c", SCRIPT));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            try {
                return new Reaper(builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the process that ends node scripts with the runtime ("
                        + String.join(" ", command.subList(0, command.size() - 1)) + "): " + e.getMessage(), e);
            }
        }

        void track(long pgid) {
            send("+" + pgid);
        }

        void end(long pgid) {
            send("-" + pgid);
        }

        private synchronized void send(String line) {
            if (broken) {
                return;
            }
            try {
                pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                pipe.flush();
            } catch (IOException e) {
                broken = true;
                System.err.println("fleetrun: the process that ends node scripts with the runtime is gone ("
                        + e.getMessage() + "); scripts may outlive it");
            }
        }

        /** Closes the pipe: the reaper kills what is left and exits. */
        synchronized void close() {
            broken = true;
            try {
                pipe.close();
            } catch (IOException e) {
                // it is gone already
            }
            try {
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
