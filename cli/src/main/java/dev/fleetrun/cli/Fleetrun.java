package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Config;
import dev.fleetrun.aws.Json;
import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import dev.fleetrun.domain.InvalidInputException;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.local.FleetrunHome;
import dev.fleetrun.local.wire.Callers;
import dev.fleetrun.local.wire.LocalCredentials;
import dev.fleetrun.domain.RunRequestParser;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** {@code fleetrun}: run a command across a fleet, safely, in waves. */
@Command(name = "fleetrun", mixinStandardHelpOptions = true, version = "fleetrun 0.1.0",
        description = "Run a command across a fleet of servers safely: a canary, then growing waves, stopped and rolled back when the error budget is spent.",
        footer = {"", "Without --profile/--region it runs on the embedded runtime over a simulated fleet.", ExitCode.HELP, Environment.HELP},
        subcommands = {Fleetrun.Run.class, Fleetrun.Plan.class, Fleetrun.Status.class, Fleetrun.Logs.class,
                Fleetrun.History.class, Fleetrun.Stop.class, Fleetrun.Approve.class, Fleetrun.Serve.class, Fleetrun.Env.class,
                PauseCommand.class, UnpauseCommand.class, PromoteCommand.class, RejectCommand.class,
                ResumeCommand.class, RetryCommand.class,
                ListCommand.class, WatchCommand.class})
public final class Fleetrun implements Callable<Integer> {
    static final DateTimeFormatter RUN_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Made on first use: a SecureRandom costs a quick command's start-up time where no run id is made. */
    private static final class Random {
        static final java.util.Random RANDOM = new java.security.SecureRandom();
    }

    public static void main(String[] args) {
        System.exit(execute(Terminal.system(), args));
    }

    /** Runs one command line; returns the exit code. */
    public static int execute(Terminal terminal, String... args) {
        Class<?> one = args.length > 0 ? subcommand(args[0]) : null;
        CommandLine cl;
        if (one != null) {
            // Only the model of the command asked for: picocli reflects over every option of every command it is
            // given, which took a third of a quick command's CPU time with all of them (README, "A quick command line").
            cl = new CommandLine(one, new Factory(terminal));
            cl.setCommandName("fleetrun " + args[0]);
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else {
            cl = new CommandLine(new Fleetrun(), new Factory(terminal));
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // By class name as well as instanceof: an exception from the one-shot runtime's own class loader (its
            // copies of the SDK and of fleetrun's classes) is not an instance of the client's classes of those names.
            if (e instanceof UsageException || isA(e, UsageException.class)) {
                cmd.getErr().println("fleetrun: " + e.getMessage());
                return ExitCode.USAGE;
            }
            if (e instanceof NotFound || isA(e, NotFound.class)) {
                cmd.getErr().println("fleetrun: " + e.getMessage());
                return ExitCode.NOT_FOUND;
            }
            if (e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("fleetrun: " + e.getMessage());
                return ExitCode.FAILED;
            }
            if (e instanceof SdkException || isA(e, SdkException.class)) {
                cmd.getErr().println("fleetrun: the call to AWS failed: "
                        + dev.fleetrun.domain.FailureWords.describe(e.getClass().getName(), e.getMessage()));
                return ExitCode.FAILED;
            }
            throw e;
        });
        cl.setExitCodeExceptionMapper(e -> ExitCode.USAGE);
        return cl.execute(args);
    }

    /** Whether {@code e}'s class or a superclass has {@code type}'s name, whichever class loader defined it. */
    static boolean isA(Throwable e, Class<?> type) {
        for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** The subcommand class named {@code name} in this class's {@code @Command(subcommands)}, or null. */
    private static Class<?> subcommand(String name) {
        for (Class<?> c : Fleetrun.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null && (command.name().equals(name) || java.util.Arrays.asList(command.aliases()).contains(name))) {
                return c;
            }
        }
        return null;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return ExitCode.USAGE;
    }

    /** Gives every command the terminal (tests pass their own). */
    private record Factory(Terminal terminal) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (Base.class.isAssignableFrom(cls)) {
                K k = cls.getDeclaredConstructor().newInstance();
                ((Base) k).terminal = terminal;
                return k;
            }
            if (cls == Env.class) {
                K k = cls.getDeclaredConstructor().newInstance();
                ((Env) k).terminal = terminal;
                return k;
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    abstract static class Base implements Callable<Integer> {
        Terminal terminal;
        @Mixin
        ConnectionOptions connection;
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Start a run and follow it wave by wave to its end.",
            footer = {"", "Example: fleetrun run --targets tag:Environment=staging --commands 'uptime' --max-concurrency 25%% --max-errors 1",
                    "Ctrl-C: beside a fleetrun serve (or on AWS) the run goes on (fleetrun watch RUN, fleetrun stop RUN) and the"
                    + " command exits 130; on its own one-shot embedded runtime the run is stopped, its leases released (waited"
                    + " for at most 30 s), and the command exits 4 (cancelled).", ExitCode.HELP})
    static final class Run extends Base {
        @Mixin
        RequestFlags flags;

        @Option(names = "--detach", description = "Start the run and return at once with its id.")
        boolean detach;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            ObjectNode request = checked(flags.request(false));
            Terminal t = output.lines(terminal);
            RunInterrupt.prepare();
            try (Backend backend = Connections.openOrStart(connection, t)) {
                String runId = runId(request);
                return RunStart.startAndFollow(backend, t, runId, () -> {
                    backend.start(runId, request);
                    return null;
                }, "fleetrun: run " + runId + " started on " + backend.description(), detach, code -> {
                    if (output.json()) {
                        terminal.document(runDocument(backend, runId, code));
                    }
                });
            }
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Resolve the nodes and show the waves and the budget; nothing is sent.",
            footer = {"", ExitCode.HELP})
    static final class Plan extends Base {
        @Mixin
        RequestFlags flags;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            ObjectNode request = checked(flags.request(true));
            Terminal t = output.lines(terminal);
            try (Backend backend = Connections.openOrStart(connection, t)) {
                String runId = runId(request);
                backend.start(runId, request);
                RunFollower follower = new RunFollower(backend, t);
                if (!output.json()) {
                    return follower.followPlan(runId);
                }
                DescribeExecutionResponse exec = follower.awaitEnd(runId);
                if (exec.status() != ExecutionStatus.SUCCEEDED) {
                    int code = follower.finish(runId, exec);
                    terminal.document(runDocument(backend, runId, code));
                    return code;
                }
                ObjectNode doc = CliJson.document("plan");
                doc.put("runId", runId);
                doc.set("plan", Json.parse(exec.output()));
                doc.put("exitCode", ExitCode.OK);
                terminal.document(doc);
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A run's status, waves and totals.", footer = {"", ExitCode.HELP})
    static final class Status extends Base {
        @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
        String runId;

        @Option(names = "--all", description = "Also list every node (every one, however large the fleet).")
        boolean nodes;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Terminal terminal = output.lines(this.terminal);
            try (Backend backend = Connections.open(connection, terminal)) {
                Optional<RunView> view = backend.store().loadRun(runId);
                Optional<DescribeExecutionResponse> exec = backend.execution(runId);
                if (output.json()) {
                    return statusDocument(view, exec, backend);
                }
                if (view.isEmpty()) {
                    if (exec.isPresent()) {
                        terminal.line("run " + runId + ": execution " + exec.get().statusAsString()
                                + (exec.get().error() != null ? " " + exec.get().error() + ": " + exec.get().cause() : "")
                                + " (no run record: it ended before it started)");
                        return RunFollower.exitCode(Optional.empty(), exec);
                    }
                    terminal.line("fleetrun: no run " + runId + " on " + backend.description());
                    return ExitCode.NOT_FOUND;
                }
                RunRecord run = view.get().run();
                List<String> gate = GateControl.statusLines(backend, run);
                // The approval wait is told once: by the gate's line (until when, then what, approve or reject) when there is one.
                boolean gateLine = gate.stream().anyMatch(l -> l.startsWith("approval gate open until "));
                terminal.line("run " + runId + " (" + run.name() + "): " + run.status()
                        + exec.map(e -> ", execution " + e.statusAsString()).orElse("")
                        + (run.approvalToken() != null && !run.status().isTerminal()
                        ? ", waiting for approval" + (gateLine ? "" : ": fleetrun approve " + runId) : ""));
                RetryCommand.retryOf(run).ifPresent(of -> terminal.line("retry of " + of + " (its failed, timed-out, cancelled and not-run nodes)"));
                RunReport.waveTable(view.get()).forEach(terminal::line);
                if (run.breachJson() != null) {
                    terminal.line("breach: " + Json.parse(run.breachJson()).path("reason").asText());
                }
                gate.forEach(terminal::line);
                if (nodes) {
                    RunReport.nodeTable(view.get().nodes()).forEach(terminal::line);
                }
                ResumeCommand.hint(run, exec).ifPresent(terminal::line);
                if (run.status().isTerminal()) {
                    terminal.line(RunFollower.verdict(run));
                }
                return RunFollower.exitCode(Optional.of(run), exec);
            }
        }

        private int statusDocument(Optional<RunView> view, Optional<DescribeExecutionResponse> exec, Backend backend) {
            if (view.isEmpty() && exec.isEmpty()) {
                terminal.forJson().line("fleetrun: no run " + runId + " on " + backend.description());
                return ExitCode.NOT_FOUND;
            }
            int code = RunFollower.exitCode(view.map(RunView::run), exec);
            ObjectNode doc = view.isPresent() ? CliJson.run(runId, view.get(), exec, code)
                    : CliJson.run(runId, null, null, exec, code);
            if (nodes && view.isPresent()) {
                doc.set("nodes", CliJson.nodes(view.get().nodes()));
            }
            this.terminal.document(doc);
            return code;
        }
    }

    /** The run document of --output json for a run that has been followed (or started). */
    static ObjectNode runDocument(Backend backend, String runId, int exitCode) {
        Optional<RunRecord> run = backend.store().getRun(runId);
        List<dev.fleetrun.records.WaveRecord> waves = new java.util.ArrayList<>();
        run.ifPresent(r -> {
            for (dev.fleetrun.domain.Phase phase : dev.fleetrun.domain.Phase.values()) {
                for (int i = 1; i <= r.waveCount(phase); i++) {
                    backend.store().getWave(runId, phase, i).ifPresent(waves::add);
                }
            }
        });
        return CliJson.run(runId, run.orElse(null), run.isPresent() ? waves : null, backend.execution(runId), exitCode);
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "What the command printed on a run's nodes.",
            footer = {"", "With --instance or --failed the whole output is read from where the run sent it (S3, CloudWatch"
                    + " Logs), else from SSM (at most 24,000 characters), and the line 'output: ...' says where.", ExitCode.HELP})
    static final class Logs extends Base {
        @Parameters(paramLabel = "RUN")
        String runId;

        @Option(names = "--instance", paramLabel = "ID", description = "Only this node, with its whole output.")
        String instance;

        @Option(names = "--failed", description = "Only the nodes whose command failed or timed out, with their whole output.")
        boolean failed;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Terminal terminal = output.lines(this.terminal);
            try (Backend backend = Connections.open(connection, terminal)) {
                Optional<RunView> view = backend.store().loadRun(runId);
                if (view.isEmpty()) {
                    terminal.line("fleetrun: no run " + runId + " on " + backend.description());
                    return ExitCode.NOT_FOUND;
                }
                List<NodeRecord> nodes = view.get().nodes().stream()
                        .filter(n -> instance == null || instance.equals(n.instanceId()))
                        .filter(n -> !failed || n.status() == NodeStatus.FAILED || n.status() == NodeStatus.TIMED_OUT)
                        .toList();
                if (output.json()) {
                    ObjectNode doc = CliJson.document("logs");
                    doc.put("runId", runId);
                    com.fasterxml.jackson.databind.node.ArrayNode documentNodes = doc.putArray("nodes");
                    JsonNode request = view.get().run().requestJson() == null ? null : Json.parse(view.get().run().requestJson());
                    for (NodeRecord n : nodes) {
                        documentNodes.add(logsNode(backend, n, request, instance != null || failed, terminal));
                    }
                    int code = nodes.isEmpty() && instance != null ? ExitCode.NOT_FOUND : ExitCode.OK;
                    if (code == ExitCode.OK) {
                        this.terminal.document(doc);
                    } else {
                        terminal.line("fleetrun: run " + runId + " has no node " + instance + (failed ? " that failed" : ""));
                    }
                    return code;
                }
                if (nodes.isEmpty()) {
                    terminal.line(instance != null ? "fleetrun: run " + runId + " has no node " + instance + (failed ? " that failed" : "")
                            : "fleetrun: no node of run " + runId + " failed");
                    return instance != null ? ExitCode.NOT_FOUND : ExitCode.OK;
                }
                boolean whole = instance != null || failed;
                JsonNode request = view.get().run().requestJson() == null ? null : Json.parse(view.get().run().requestJson());
                for (NodeRecord n : nodes) {
                    String noCode = n.responseCode() == null ? RunReport.whyNoExitCode(n.status()) : "";
                    terminal.line("== " + n.instanceId() + " (" + n.phase().id() + ", " + n.status()
                            + (n.responseCode() != null ? ", exit " + n.responseCode() : noCode.isEmpty() ? "" : ", " + noCode) + ")");
                    if (whole && n.commandId() != null) {
                        printWhole(backend, n, request, terminal);
                    } else {
                        printExcerpt(n, terminal);
                    }
                    if (n.reason() != null) {
                        terminal.line(n.reason());
                    }
                }
                return ExitCode.OK;
            }
        }

        /** A node of the logs document: the node, its output (whole or excerpt) and where it was read. */
        private static ObjectNode logsNode(Backend backend, NodeRecord n, JsonNode request, boolean whole, Terminal lines) {
            ObjectNode o = CliJson.node(n);
            o.put("outputUrl", n.outputUrl());
            if (whole && n.commandId() != null) {
                List<String> notes = new java.util.ArrayList<>();
                try {
                    FullOutput.Read read = FullOutput.read(backend, n, request, notes);
                    notes.forEach(note -> lines.line("fleetrun: " + note));
                    o.put("source", read.source());
                    o.put("whole", true);
                    o.put("stdout", read.stdout());
                    o.put("stderr", read.stderr());
                    return o;
                } catch (SdkException e) {
                    notes.forEach(note -> lines.line("fleetrun: " + note));
                    lines.line("fleetrun: cannot read the output of " + n.instanceId() + ": " + e.getMessage());
                }
            }
            o.put("source", "the run record (SSM's excerpt)");
            o.put("whole", false);
            o.put("stdout", n.outputExcerpt() == null ? "" : n.outputExcerpt());
            o.put("stderr", n.errorExcerpt() == null ? "" : n.errorExcerpt());
            return o;
        }

        private static void printExcerpt(NodeRecord n, Terminal terminal) {
            if (n.outputExcerpt() != null && !n.outputExcerpt().isEmpty()) {
                terminal.line(n.outputExcerpt().stripTrailing());
            }
            if (n.errorExcerpt() != null && !n.errorExcerpt().isEmpty()) {
                terminal.line("-- stderr --");
                terminal.line(n.errorExcerpt().stripTrailing());
            }
            if (n.outputUrl() != null) {
                terminal.line("full output: " + n.outputUrl());
            }
        }

        private static void printWhole(Backend backend, NodeRecord n, JsonNode request, Terminal terminal) {
            List<String> notes = new java.util.ArrayList<>();
            FullOutput.Read read;
            try {
                read = FullOutput.read(backend, n, request, notes);
            } catch (SdkException e) {
                notes.forEach(note -> terminal.line("fleetrun: " + note));
                terminal.line("fleetrun: cannot read the output of " + n.instanceId() + ": " + e.getMessage());
                printExcerpt(n, terminal);
                return;
            }
            notes.forEach(note -> terminal.line("fleetrun: " + note));
            terminal.line("output: " + read.source() + " (" + read.stdout().length() + " characters of stdout, "
                    + read.stderr().length() + " of stderr)");
            if (!read.stdout().isEmpty()) {
                terminal.line(read.stdout().stripTrailing());
            }
            if (!read.stderr().isEmpty()) {
                terminal.line("-- stderr --");
                terminal.line(read.stderr().stripTrailing());
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "One node's results across runs, newest first.", footer = {"", ExitCode.HELP})
    static final class History extends Base {
        @Option(names = "--instance", paramLabel = "ID", required = true)
        String instance;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Terminal terminal = output.lines(this.terminal);
            try (Backend backend = Connections.open(connection, terminal)) {
                List<NodeRecord> history = backend.store().nodeHistory(instance, limit);
                if (history.isEmpty()) {
                    terminal.line("fleetrun: no run has touched " + instance + " on " + backend.description());
                    return ExitCode.NOT_FOUND;
                }
                if (output.json()) {
                    ObjectNode doc = CliJson.document("history");
                    doc.put("instanceId", instance);
                    doc.set("results", CliJson.nodes(history));
                    this.terminal.document(doc);
                    return ExitCode.OK;
                }
                terminal.line(String.format("%-28s %-9s %-19s %5s  %s", "RUN", "PHASE", "STATUS", "EXIT", "WHEN"));
                for (NodeRecord n : history) {
                    terminal.line(String.format("%-28s %-9s %-19s %5s  %s", n.runId(), n.phase().id(), n.status(),
                            n.responseCode() == null ? "" : n.responseCode(), n.updatedAt()));
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a run: in-flight commands are cancelled, leases released, status CANCELLED.", footer = {"", ExitCode.HELP})
    static final class Stop extends Base {
        @Parameters(paramLabel = "RUN")
        String runId;

        @Override
        public Integer call() {
            try (Backend backend = Connections.open(connection, terminal)) {
                Optional<DescribeExecutionResponse> exec = backend.execution(runId);
                if (exec.isEmpty()) {
                    terminal.line("fleetrun: no run " + runId + " on " + backend.description());
                    return ExitCode.NOT_FOUND;
                }
                if (exec.get().status() != ExecutionStatus.RUNNING) {
                    terminal.line("fleetrun: run " + runId + " is not running (execution " + exec.get().statusAsString() + ")");
                    return ExitCode.OK;
                }
                backend.stop(runId, "stopped with fleetrun stop by " + backend.actor());
                terminal.line("fleetrun: stopping run " + runId + "; see: fleetrun status " + runId);
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Open a run's approval gate: the next wave starts.", footer = {"", ExitCode.HELP})
    static final class Approve extends Base {
        @Parameters(paramLabel = "RUN")
        String runId;

        @Override
        public Integer call() {
            try (Backend backend = Connections.open(connection, terminal)) {
                try {
                    if (!backend.approve(runId)) {
                        terminal.line("fleetrun: run " + runId + " is not waiting for approval (see: fleetrun status " + runId + ")");
                        return ExitCode.NOT_FOUND;
                    }
                } catch (SfnException e) {
                    terminal.line("fleetrun: run " + runId + " is no longer waiting: " + e.awsErrorDetails().errorMessage());
                    return ExitCode.NOT_FOUND;
                }
                terminal.line("fleetrun: run " + runId + " approved by " + backend.actor() + "; the next wave starts");
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the embedded runtime in the foreground: Step Functions, SSM over a simulated fleet, EventBridge, DynamoDB, SNS, SQS, CloudWatch alarms, on one loopback port.",
            footer = {"", "It answers only requests signed with the credentials it keeps in $FLEETRUN_HOME/credentials"
                    + " (default ~/.fleetrun), addressed to 127.0.0.1, localhost or [::1] and from no other web origin."
                    + " Point the AWS CLI or any SDK at it with: eval \"$(./fleetrun env)\"", ExitCode.HELP})
    static final class Serve implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--port", defaultValue = "4599", description = "Loopback port (0: a free one; default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--any-credentials", description = "Serve requests whatever their signature, for tools that cannot"
                + " be given credentials. Any process of any user of this machine can then make the simulated nodes run"
                + " commands as you; the Host and Origin checks stay.")
        boolean anyCredentials;

        @Option(names = "--jobs", paramLabel = "FILE", description = "Install the scheduled and alarm-triggered jobs of"
                + " this jobs file (the format of infra/jobs.json) as the stack deploys them: an alarm job's run starts"
                + " when aws cloudwatch set-alarm-state puts one of its alarms in ALARM.")
        java.nio.file.Path jobs;

        @Override
        public Integer call() throws InterruptedException {
            Callers callers;
            try {
                callers = FleetrunHome.callers(anyCredentials, warning -> System.err.println("fleetrun: " + warning));
            } catch (java.io.UncheckedIOException e) {
                throw new UsageException(e.getMessage());
            }
            EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.from(connection, port).withCallers(callers));
            if (jobs != null) {
                try {
                    var installed = runtime.installJobs(jobs);
                    System.err.println("fleetrun: " + installed.size() + " job(s) from " + jobs + ": "
                            + installed.stream().map(j -> j.name()).toList());
                } catch (dev.fleetrun.catalog.ConfigurationException e) {
                    runtime.close();
                    throw new UsageException(e.getMessage());
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(runtime::close));
            // On standard error: standard output has the one ready line that scripts and tests wait for.
            System.err.println("fleetrun: " + runtime.scriptIsolation());
            dev.fleetrun.cli.embedded.RuntimeFile.write(runtime);
            System.err.println(FleetrunHome.callersLine(callers));
            System.out.println("fleetrun: ready on " + runtime.endpoint());
            System.out.flush();
            runtime.awaitTermination();
            return ExitCode.OK;
        }
    }

    @Command(name = "env", mixinStandardHelpOptions = true,
            description = "Print the export lines that point the AWS CLI and SDKs at this user's running fleetrun serve,"
                    + " with the credentials it accepts: eval \"$(./fleetrun env)\"",
            footer = {"", "Prints AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and AWS_REGION."
                    + " The credentials come from $FLEETRUN_HOME/credentials (default ~/.fleetrun/credentials).", ExitCode.HELP})
    static final class Env implements Callable<Integer> {
        Terminal terminal;

        @Option(names = "--endpoint", paramLabel = "URL", description = "The serve to point at (default: the one this user"
                + " has running, from $FLEETRUN_HOME/serve.json).")
        String endpoint;

        @Override
        public Integer call() {
            String url = endpoint != null ? endpoint : Connections.serve(terminal).endpoint().toString();
            LocalCredentials credentials = Connections.localCredentials()
                    .orElseThrow(() -> new NotFound("no credentials in " + FleetrunHome.credentialsFile()
                            + ": ./fleetrun serve makes them when it starts"));
            terminal.line("export AWS_ENDPOINT_URL=" + shellQuoted(url));
            terminal.line("export AWS_ACCESS_KEY_ID=" + shellQuoted(credentials.accessKeyId()));
            terminal.line("export AWS_SECRET_ACCESS_KEY=" + shellQuoted(credentials.secretAccessKey()));
            terminal.line("export AWS_DEFAULT_REGION=" + EmbeddedRuntime.REGION);
            terminal.line("export AWS_REGION=" + EmbeddedRuntime.REGION);
            return ExitCode.OK;
        }

        private static String shellQuoted(String value) {
            return "'" + value.replace("'", "'\\''") + "'";
        }
    }

    /** A thing a command needs that is not there: exit code {@link ExitCode#NOT_FOUND}. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /** Validates a request as the workflow's first step will, so a bad one never starts an execution. */
    static ObjectNode checked(ObjectNode request) {
        Set<String> documents = new HashSet<>(Set.of(Config.DEFAULT_DOCUMENTS.split(",")));
        // The deployment's allow-list is checked by the workflow; here any named document passes.
        if (request.path("document").hasNonNull("name")) {
            documents.add(request.path("document").path("name").asText());
        }
        if (request.path("rollback").path("document").hasNonNull("name")) {
            documents.add(request.path("rollback").path("document").path("name").asText());
        }
        try {
            new RunRequestParser(documents).parse(request);
            return request;
        } catch (InvalidInputException e) {
            StringBuilder b = new StringBuilder("the run request is invalid, nothing was started:");
            e.errors().forEach(err -> b.append("\n  ").append(err.field()).append(": ").append(err.reason()));
            throw new UsageException(b.toString());
        }
    }

    static String runId(JsonNode request) {
        String name = request.path("name").asText("run").replaceAll("[^A-Za-z0-9_-]", "-");
        // Fixed width: the time, then 6 random hexadecimal digits (16.7 million per second and name).
        String suffix = LocalDateTime.now().format(RUN_SUFFIX) + "-" + String.format("%06x", Random.RANDOM.nextInt(1 << 24));
        return (name.length() > 60 ? name.substring(0, 60) : name) + "-" + suffix;
    }
}
