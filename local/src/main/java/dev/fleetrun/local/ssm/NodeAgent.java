package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The SSM Agent of one simulated node: it takes the invocations sent to its node one at a time, in
 * the order they arrived, and runs them for real in the node's sandbox ({@link NodeSandbox}):
 * <ol>
 *   <li>it reports InProgress, waits out a slow profile's delay, fails the run instead of running it
 *       when the profile says so;</li>
 *   <li>it fills the document in for this node ({@link StepPlan#prepare}: parameters, Parameter Store
 *       values, preconditions on its platform) and runs the steps in order, each with bash (or pwsh) in the
 *       step's working directory, isolated as the runtime's {@link ScriptIsolation} says ({@link ScriptLauncher}),
 *       killing a step's script at its {@code timeoutSeconds} (ExecutionTimedOut) or on CancelCommand;
 *       a skipped step, a step's exit condition (168, 169, {@code onFailure}, {@code onSuccess}) and
 *       {@code finallyStep} go as the agent's {@code RunPlugins} has them ({@link AgentVerdict});</li>
 *   <li>on 194 (3010 on Windows), or a reboot-once node's first run, the node reboots: unreachable
 *       for the reboot duration, then it runs that step again from its first line (the steps that
 *       had ended are not run again), the invocation InProgress all along;</li>
 *   <li>when a step's plugin ends it sends the step's complete output to S3 and CloudWatch Logs where the
 *       command asked ({@link OutputDestinations}, under the step's plugin and name);</li>
 *   <li>it reports each step when it ends, and the invocation's outcome at the end, when its node is
 *       reachable: a node taken offline mid-run holds its reports until it is back (or the command
 *       expires: DeliveryTimedOut).</li>
 * </ol>
 * Its worker is a virtual thread that exists while there is work. State is guarded by the simulated
 * SSM's lock; the worker holds it only to move state, never while a script runs.
 */
final class NodeAgent {
    private final Object lock;
    private final Dispatcher dispatcher;
    private final ParameterStore parameterStore;
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
    private int deliveryFailuresLeft;
    private Thread worker;

    NodeAgent(Object lock, Dispatcher dispatcher, AgentSettings settings, NodeSandbox sandbox, FleetNode declared,
              ParameterStore parameterStore) {
        this.lock = lock;
        this.dispatcher = dispatcher;
        this.parameterStore = parameterStore;
        this.settings = settings;
        this.sandbox = sandbox;
        this.profile = declared.profile();
        this.instanceId = declared.instanceId();
        this.network = declared.network();
        this.draws = new Random(31 * profile.seed() + instanceId.hashCode());
        this.deliveryFailuresLeft = profile.deliveryFailures();
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

    /**
     * Why SSM will not send the document to this node, or null when it will: the node's platform is
     * not one of the document's PlatformTypes (a shell script to Windows), or the document is one
     * PowerShell step and the machine running the fleet has no pwsh.
     */
    String cannotRun(SsmDocument document) {
        String platform = node.platformType();
        if (!document.platformTypes().contains(platform)) {
            String advice = platform.equals("Windows") ? " Send AWS-RunPowerShellScript to Windows nodes." : "";
            return "Node " + node.instanceId() + " is a " + platform + " node: document " + document.name() + " ("
                    + String.join(", ", document.steps().stream().map(DocumentStep::action).distinct().toList())
                    + ") runs on " + document.platformTypes() + "." + advice;
        }
        DocumentStep only = document.singleStep() ? document.steps().get(0) : null;
        if (only != null && SsmDocument.POWERSHELL.equals(only.action()) && only.precondition() == null
                && settings.pwsh() == null) {
            return noPwsh(document.name());
        }
        return null;
    }

    /** Why the caller may not send to this node (an access-denied profile), or null. */
    String accessDenied() {
        return profile.accessDenied() ? "fleetrun simulation: node " + instanceId + " has an access-denied profile:"
                + " the caller's IAM policy does not allow ssm:SendCommand on it" : null;
    }

    /** Whether SSM's attempt to deliver to this node now fails (an undeliverable or delayed profile). */
    boolean failsDelivery() {
        if (profile.undeliverable()) {
            return true;
        }
        if (deliveryFailuresLeft > 0) {
            deliveryFailuresLeft--;
            return true;
        }
        return false;
    }

    private String noPwsh(String documentName) {
        return "PowerShell (pwsh) is not installed on the machine that runs the simulated fleet, so node "
                + node.instanceId() + " cannot run " + SsmDocument.POWERSHELL + " (" + documentName
                + "). Install PowerShell 7 (pwsh on the PATH) or send AWS-RunShellScript.";
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
        List<StepPlan> steps;
        try {
            steps = plan(command);
        } catch (Interpolation.Failure e) {
            report(delivery, new InvocationOutcome("Failed", "Failed", 1, "", e.getMessage()));
            return;
        }
        List<StepResult> results = new ArrayList<>();
        StepResult lastRun = null;
        boolean exit = false;
        for (int i = 0; i < steps.size(); i++) {
            StepPlan step = steps.get(i);
            boolean finallyStep = step.finallyStep() && i == steps.size() - 1;
            Instant now = settings.time().now();
            StepResult result;
            if (exit && !finallyStep) {
                result = StepResult.skipped(step.name(), step.action(), "Plugin with name " + step.action() + " and id "
                        + step.name() + " skipped due to prior step with an exit condition", now);
            } else if (step.skipped() != null) {
                result = StepResult.skipped(step.name(), step.action(), step.skipped(), now);
            } else if (step.failure() != null) {
                result = AgentVerdict.failedToStart(step, step.failure(), now);
            } else if (SsmDocument.POWERSHELL.equals(step.action()) && settings.pwsh() == null) {
                result = AgentVerdict.failedToStart(step, noPwsh(command.document().name()), now);
            } else {
                Path workingDirectory = workingDirectory(step);
                if (!Files.isDirectory(workingDirectory)) {
                    // the plugin itself fails here, as the agent's runShellScript does: its error is its output
                    result = AgentVerdict.failedToStart(step, "workingDirectory " + workingDirectory
                            + " does not exist on node " + instanceId + " (a relative path is taken from the node's"
                            + " home " + sandbox.home() + ")", now);
                    sendOutput(delivery, step, result.stdout(), result.stderr());
                } else {
                    StepRun run = runStep(delivery, step, workingDirectory);
                    if (run == null) {
                        return;
                    }
                    result = run.verdict().result();
                    exit = exit || run.verdict().exit();
                    lastRun = result;
                    sendOutput(delivery, step, run.stdout(), run.stderr());
                    if (run.cancelled()) {
                        stepFinished(delivery, result);
                        report(delivery, new InvocationOutcome("Cancelled", "Cancelled", 1, result.stdout(),
                                result.stderr()));
                        return;
                    }
                }
            }
            results.add(result);
            stepFinished(delivery, result);
        }
        report(delivery, AgentVerdict.rollUp(results, lastRun));
    }

    /** The document's steps for this node, filled in with the command's parameters and Parameter Store values. */
    private List<StepPlan> plan(SsmCommand command) throws Interpolation.Failure {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> value : command.parameterValues().entrySet()) {
            values.put(value.getKey(), Interpolation.parameterStore(value.getValue(), parameterStore::find));
        }
        if (command.document().declaresParameters()) {
            List<String> problems = new ArrayList<>();
            for (DocumentParameter parameter : command.document().parameters()) {
                JsonNode value = values.get(parameter.name());
                if (value != null && !value.equals(command.parameterValues().get(parameter.name()))) {
                    parameter.check(value, problems);
                }
            }
            if (!problems.isEmpty()) {
                throw new Interpolation.Failure("all errors during param validation errors: "
                        + String.join("\n", problems));
            }
        }
        ManagedNode current;
        synchronized (lock) {
            current = node;
        }
        return StepPlan.prepare(command.document(), values, current.platformType(), parameterStore::find);
    }

    /**
     * One step that ran: its verdict, whether CancelCommand stopped it, and its script's output as written (what the
     * agent uploads: the lines it adds for 168, 169 and onFailure are only in the reported result).
     */
    private record StepRun(AgentVerdict.Verdict verdict, boolean cancelled, String stdout, String stderr) {
    }

    /** Runs one step, again after each reboot it asks for; null when the delivery ended meanwhile. */
    private StepRun runStep(Delivery delivery, StepPlan step, Path workingDirectory) throws InterruptedException,
            IOException {
        String platform = node.platformType(); // fixed for the node's life: no lock needed to read it
        while (true) {
            Instant start = settings.time().now();
            stepStarted(delivery, StepResult.inProgress(step.name(), step.action(), start));
            ScriptRun run = runScript(delivery, step, workingDirectory);
            if (run == null) {
                return null;
            }
            Instant end = settings.time().now();
            if (run.cancelled()) {
                return new StepRun(new AgentVerdict.Verdict(AgentVerdict.cancelled(step, run.stdout(), run.stderr(),
                        start, end), true), true, run.stdout(), run.stderr());
            }
            if (run.timedOut()) {
                return new StepRun(new AgentVerdict.Verdict(AgentVerdict.executionTimedOut(step, run.stdout(),
                        run.stderr(), platform, start, end), false), false, run.stdout(), run.stderr());
            }
            boolean reboot = AgentVerdict.asksForReboot(run.exitCode(), platform)
                    || (profile.rebootOnce() && run.firstOnNode());
            if (!reboot) {
                return new StepRun(AgentVerdict.of(step, run.exitCode(), run.stdout(), run.stderr(), platform, start, end),
                        false, run.stdout(), run.stderr());
            }
            if (!reboot(delivery)) {
                return null;
            }
        }
    }

    /**
     * A step ended on the node. Its result is reported to SSM now, or when the node is back online. Its complete
     * output has gone to its destinations just before ({@link #sendOutput}, outside the SSM lock).
     */
    private void stepFinished(Delivery delivery, StepResult result) {
        synchronized (lock) {
            delivery.unreported.add(result);
            publishSteps(delivery);
        }
    }

    /** A step started: SSM sees it InProgress if the node can tell it. */
    private void stepStarted(Delivery delivery, StepResult started) {
        synchronized (lock) {
            if (reachable() && !delivery.done()) {
                delivery.invocation.applyStep(started, settings.time().now());
            }
        }
    }

    /** Reports the steps that ended and were not reported yet, when the node is reachable (lock held). */
    private void publishSteps(Delivery delivery) {
        if (reachable() && !delivery.done()) {
            Instant now = settings.time().now();
            delivery.unreported.forEach(result -> delivery.invocation.applyStep(result, now));
            delivery.unreported.clear();
        }
    }

    /** The outcome of one script run; {@code firstOnNode} when it was the first script this node ran. */
    private record ScriptRun(int exitCode, boolean timedOut, boolean cancelled, String stdout, String stderr,
                             boolean firstOnNode) {
    }

    /** Runs a step's script once; null when the delivery was closed or cancelled before or while it ran. */
    private ScriptRun runScript(Delivery delivery, StepPlan step, Path workingDirectory) throws InterruptedException,
            IOException {
        SsmCommand command = delivery.run.command();
        Path dir = Files.createDirectories(sandbox.runDirectory(command.commandId()).resolve(step.name().replace(":", "")));
        boolean powerShell = SsmDocument.POWERSHELL.equals(step.action());
        Path script = dir.resolve(powerShell ? "script.ps1" : "script.sh");
        Files.writeString(script, String.join("\n", step.runCommand()) + "\n", StandardCharsets.UTF_8);
        List<String> interpreter = powerShell
                ? List.of(settings.pwsh().toString(), "-NoLogo", "-NoProfile", "-NonInteractive", "-File",
                        script.toString())
                : List.of("bash", script.toString());
        long timeout = settings.time().realNanos(Duration.ofSeconds(step.timeoutSeconds()));
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
            return new ScriptRun(exited ? process.exitCode() : AgentVerdict.killedCode(current.platformType()), !exited,
                    cancelled, process.stdout(), process.stderr(), first);
        } finally {
            settings.scripts().release();
        }
    }

    /**
     * A step's complete output to S3 and CloudWatch Logs, where the command asked for it, under the step's plugin and
     * name, as the agent uploads it when the plugin ends ({@link OutputDestinations}); not under the lock, and before
     * the step is reported, so a caller who sees it ended finds its output. A step the agent skipped or failed
     * without running its plugin has none.
     */
    private void sendOutput(Delivery delivery, StepPlan step, String stdout, String stderr) {
        settings.output().pluginFinished(new OutputDestinations.PluginOutput(delivery.run.command(), instanceId,
                step.action(), step.name(), stdout, stderr));
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
            publishSteps(delivery);
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
            dispatcher.finish(delivery, new InvocationOutcome("Cancelled", "Cancelled", 1, "", ""));
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

    private Path workingDirectory(StepPlan step) {
        String given = step.workingDirectory();
        if (given == null || given.isBlank()) {
            return sandbox.home();
        }
        return sandbox.home().resolve(given);
    }

    private static String share(double share) {
        return share >= 1 ? "all" : Math.round(share * 100) + "%";
    }

    @Override
    public String toString() {
        return "NodeAgent[" + inventory() + "]";
    }
}
