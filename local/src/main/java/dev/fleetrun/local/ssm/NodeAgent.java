package dev.fleetrun.local.ssm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * The SSM Agent of one simulated node: it takes the invocations sent to its node one at a time, in
 * the order they arrived, and runs them for real in the node's sandbox ({@link NodeSandbox}):
 * <ol>
 *   <li>it reports InProgress, waits out a slow profile's delay, fails the run instead of running it
 *       when the profile says so;</li>
 *   <li>it runs the document's {@code commands} with bash (or pwsh), isolated as the runtime's
 *       {@link ScriptIsolation} says ({@link ScriptLauncher}), killing the script at the document's
 *       {@code executionTimeout} (exit 137, ExecutionTimedOut) or on CancelCommand;</li>
 *   <li>on exit 194 (or a reboot-once node's first run) the node reboots: unreachable for the reboot
 *       duration, then it runs the script again from the start, the invocation InProgress all along;</li>
 *   <li>it reports the result when its node is reachable: a node taken offline mid-run holds its
 *       result until it is back (or the command expires: DeliveryTimedOut).</li>
 * </ol>
 * Its worker is a virtual thread that exists while there is work. State is guarded by the simulated
 * SSM's lock; the worker holds it only to move state, never while a script runs.
 */
final class NodeAgent {
    private final Object lock;
    private final Dispatcher dispatcher;
    private final AgentSettings settings;
    private final NodeSandbox sandbox;
    private final NodeProfile profile;
    private final Random draws;
    private final Deque<Delivery> queue = new ArrayDeque<>();
    private final String instanceId;
    private final boolean network;
    private ManagedNode node;
    private boolean rebooting;
    private Instant lastPing;
    private int runs;
    private Thread worker;

    NodeAgent(Object lock, Dispatcher dispatcher, AgentSettings settings, NodeSandbox sandbox, FleetNode declared) {
        this.lock = lock;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.sandbox = sandbox;
        this.profile = declared.profile();
        this.instanceId = declared.instanceId();
        this.network = declared.network();
        this.draws = new Random(31 * profile.seed() + instanceId.hashCode());
        this.lastPing = settings.time().now();
        this.node = new ManagedNode(declared.instanceId(), declared.platformType(), declared.initialPingStatus(),
                declared.tags(), lastPing);
    }

    // ---- inventory (lock held) ----

    /** The node as DescribeInstanceInformation shows it: ConnectionLost while it reboots. */
    ManagedNode inventory() {
        return rebooting ? node.withPingStatus(ManagedNode.CONNECTION_LOST) : node;
    }

    /** Online and not rebooting: the agent takes commands and reports. */
    boolean reachable() {
        return node.online() && !rebooting;
    }

    Instant lastPing() {
        return reachable() ? settings.time().now() : lastPing;
    }

    NodeProfile profile() {
        return profile;
    }

    Path home() {
        return sandbox.home();
    }

    /** Takes the node offline or brings it back (the agent's connection, not the machine: scripts go on). */
    void setPingStatus(String pingStatus) {
        boolean wasReachable = reachable();
        node = node.withPingStatus(pingStatus);
        if (wasReachable && !reachable()) {
            lastPing = settings.time().now();
        }
        lock.notifyAll();
        if (!wasReachable && reachable()) {
            dispatcher.dispatchAll();
        }
    }

    /** Why this node cannot run the document's plugin, or null when it can. */
    String cannotRun(SsmDocument document) {
        if (SsmDocument.SHELL.equals(document.action()) && node.platformType().equals("Windows")) {
            return "Node " + node.instanceId() + " is a Windows node: " + SsmDocument.SHELL + " (" + document.name()
                    + ") does not run there. Send AWS-RunPowerShellScript to Windows nodes.";
        }
        if (SsmDocument.POWERSHELL.equals(document.action()) && settings.pwsh() == null) {
            return "PowerShell (pwsh) is not installed on the machine that runs the simulated fleet, so node "
                    + node.instanceId() + " cannot run " + SsmDocument.POWERSHELL + " (" + document.name()
                    + "). Install PowerShell 7 (pwsh on the PATH) or send AWS-RunShellScript.";
        }
        return null;
    }

    /** Takes a delivery to run after the ones already queued. */
    void enqueue(Delivery delivery) {
        queue.add(delivery);
        if (worker == null) {
            worker = Thread.ofVirtual().name("ssm-agent-" + instanceId).start(this::work);
        }
        lock.notifyAll();
    }

    /** Drops a delivery that was queued and never started (cancelled or timed out). */
    void dequeue(Delivery delivery) {
        queue.remove(delivery);
    }

    // ---- the worker ----

    private void work() {
        while (true) {
            Delivery delivery;
            synchronized (lock) {
                delivery = next();
                if (delivery == null) {
                    return;
                }
            }
            try {
                execute(delivery);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                synchronized (lock) {
                    dispatcher.finish(delivery, new InvocationOutcome("Failed", "Failed", 1, "",
                            "The simulated agent of " + instanceId + " could not run the script: " + e));
                }
            }
        }
    }

    /** The next delivery to run, once the node is reachable; null when there is none (the worker ends). */
    private Delivery next() {
        while (true) {
            if (queue.isEmpty() || dispatcher.closed()) {
                worker = null;
                return null;
            }
            if (reachable()) {
                Delivery delivery = queue.poll();
                dispatcher.started(delivery);
                return delivery;
            }
            if (!waitOnLock(Long.MAX_VALUE)) {
                worker = null;
                return null;
            }
        }
    }

    private void execute(Delivery delivery) throws InterruptedException, IOException {
        if (!pause(delivery, profile.delay())) {
            return;
        }
        SsmCommand command = delivery.run.command();
        if (profile.failShare() > 0 && (profile.failShare() >= 1 || draws.nextDouble() < profile.failShare())) {
            report(delivery, new InvocationOutcome("Failed", "Failed", profile.failExitCode(), "",
                    "fleetrun simulation: node " + instanceId + " has a failing profile (exit "
                            + profile.failExitCode() + " on " + share(profile.failShare()) + " of its runs);"
                            + " the script was not run."));
            return;
        }
        Path workingDirectory = workingDirectory(command);
        if (!Files.isDirectory(workingDirectory)) {
            report(delivery, new InvocationOutcome("Failed", "Failed", 1, "", "workingDirectory "
                    + workingDirectory + " does not exist on node " + instanceId
                    + " (a relative path is taken from the node's home " + sandbox.home() + ")"));
            return;
        }
        while (true) {
            ScriptRun run = runScript(delivery, workingDirectory);
            if (run == null) {
                return;
            }
            if (run.cancelled()) {
                sendOutput(delivery, command.document().action(), command.document().stepName(), run);
                report(delivery, AgentVerdict.cancelled(run.stdout(), run.stderr()));
                return;
            }
            if (run.timedOut()) {
                sendOutput(delivery, command.document().action(), command.document().stepName(), run);
                report(delivery, AgentVerdict.executionTimedOut(run.stdout(), run.stderr()));
                return;
            }
            boolean reboot = AgentVerdict.asksForReboot(run.exitCode()) || (profile.rebootOnce() && run.firstOnNode());
            if (!reboot) {
                sendOutput(delivery, command.document().action(), command.document().stepName(), run);
                report(delivery, AgentVerdict.of(run.exitCode(), run.stdout(), run.stderr()));
                return;
            }
            if (!reboot(delivery)) {
                return;
            }
        }
    }

    /** The outcome of one script run; {@code firstOnNode} when it was the first script this node ran. */
    private record ScriptRun(int exitCode, boolean timedOut, boolean cancelled, String stdout, String stderr,
                             boolean firstOnNode) {
    }

    /** Runs the command's script once; null when the delivery was closed or cancelled before or while it ran. */
    private ScriptRun runScript(Delivery delivery, Path workingDirectory) throws InterruptedException, IOException {
        SsmCommand command = delivery.run.command();
        Path dir = sandbox.runDirectory(command.commandId());
        boolean powerShell = SsmDocument.POWERSHELL.equals(command.document().action());
        Path script = dir.resolve(powerShell ? "script.ps1" : "script.sh");
        List<String> lines = command.parameters().getOrDefault("commands", List.of());
        Files.writeString(script, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        List<String> interpreter = powerShell
                ? List.of(settings.pwsh().toString(), "-NoLogo", "-NoProfile", "-NonInteractive", "-File",
                        script.toString())
                : List.of("bash", script.toString());
        long timeout = settings.time().realNanos(
                Duration.ofSeconds(command.document().executionTimeoutSeconds(command.parameters())));
        settings.scripts().acquire();
        try {
            ManagedNode current;
            synchronized (lock) {
                if (!proceed(delivery)) {
                    return null;
                }
                current = node;
            }
            ScriptProcess process = settings.launcher().start(new ScriptLauncher.Launch(instanceId, sandbox.root(),
                    network, interpreter, workingDirectory,
                    sandbox.environment(current, settings.region(), command.commandId(), workingDirectory),
                    dir.resolve("stdout"), dir.resolve("stderr")));
            boolean first;
            synchronized (lock) {
                first = runs++ == 0;
                delivery.process = process;
                if (delivery.interrupted()) {
                    process.kill();
                }
            }
            boolean exited = process.await(timeout);
            if (!exited) {
                process.kill();
                process.await();
            }
            boolean cancelled;
            synchronized (lock) {
                delivery.process = null;
                if (delivery.done()) {
                    return null;
                }
                cancelled = delivery.cancelRequested;
            }
            return new ScriptRun(exited ? process.exitCode() : AgentVerdict.KILLED, !exited, cancelled,
                    process.stdout(), process.stderr(), first);
        } finally {
            settings.scripts().release();
        }
    }

    /**
     * The plugin's complete output to S3 and CloudWatch Logs, where the command asked for it, as the agent uploads it
     * when the plugin ends ({@link OutputDestinations}); not under the lock.
     */
    private void sendOutput(Delivery delivery, String pluginName, String stepName, ScriptRun run) {
        settings.output().pluginFinished(new OutputDestinations.PluginOutput(delivery.run.command(), instanceId,
                pluginName, stepName, run.stdout(), run.stderr()));
    }

    /** Reboots the node; true when the delivery is to run its script again. */
    private boolean reboot(Delivery delivery) {
        synchronized (lock) {
            rebooting = true;
            lastPing = settings.time().now();
            long deadline = System.nanoTime() + settings.time().realNanos(settings.rebootDuration());
            while (!delivery.done()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !waitOnLock(left)) {
                    break;
                }
            }
            rebooting = false;
            lock.notifyAll();
            if (reachable()) {
                dispatcher.dispatchAll();
            }
            awaitReachable(delivery);
            return proceed(delivery);
        }
    }

    /** Waits out a slow node's delay; false when the delivery ended meanwhile. */
    private boolean pause(Delivery delivery, Duration delay) {
        synchronized (lock) {
            long deadline = System.nanoTime() + settings.time().realNanos(delay);
            while (!delivery.interrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !waitOnLock(left)) {
                    break;
                }
            }
            return proceed(delivery);
        }
    }

    /** Reports an outcome once the node can reach SSM (at once, unless it was taken offline). */
    private void report(Delivery delivery, InvocationOutcome outcome) {
        synchronized (lock) {
            awaitReachable(delivery);
            if (!dispatcher.closed()) {
                dispatcher.finish(delivery, outcome);
            }
        }
    }

    /** Whether the delivery goes on (lock held): not closed, not done; a cancel requested now ends it Cancelled. */
    private boolean proceed(Delivery delivery) {
        if (delivery.done() || dispatcher.closed()) {
            return false;
        }
        if (delivery.cancelRequested) {
            dispatcher.finish(delivery, AgentVerdict.cancelled("", ""));
            return false;
        }
        return true;
    }

    private void awaitReachable(Delivery delivery) {
        while (!reachable() && !delivery.done()) {
            if (!waitOnLock(Long.MAX_VALUE)) {
                return;
            }
        }
    }

    /** Waits on the lock for at most {@code nanos}; false when the simulation is closing. */
    private boolean waitOnLock(long nanos) {
        if (dispatcher.closed()) {
            return false;
        }
        try {
            if (nanos == Long.MAX_VALUE) {
                lock.wait();
            } else {
                lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !dispatcher.closed();
    }

    private Path workingDirectory(SsmCommand command) {
        List<String> given = command.parameters().get("workingDirectory");
        if (given == null || given.isEmpty() || given.get(0).isBlank()) {
            return sandbox.home();
        }
        return sandbox.home().resolve(given.get(0));
    }

    private static String share(double share) {
        return share >= 1 ? "all" : Math.round(share * 100) + "%";
    }

    @Override
    public String toString() {
        return "NodeAgent[" + inventory() + "]";
    }
}
