package dev.fleetrun.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The training run of the lean client's class-data archive: the launcher runs it once after each build with
 * {@code -XX:ArchiveClassesAtExit}, so the archive holds the classes the commands load (picocli's model of every
 * command, the SDK clients, their marshalling, signing, endpoint rules and error handling, Jackson), whichever
 * command a user runs first. It drives the real commands in-process against a loopback server that answers as an
 * empty fleetrun runtime would (a state machine, no run, no node), then exits; nothing is printed but a failure.
 */
public final class ClientTraining {
    private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:fleetrun-rolling-run";

    private ClientTraining() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ClientTraining::answer);
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        // Credentials as a user's chain finds them; the training server checks no signature.
        System.setProperty("aws.accessKeyId", "AKIDTRAINING");
        System.setProperty("aws.secretAccessKey", "training");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        System.setErr(quiet);
        try {
            Terminal terminal = new Terminal(quiet, false);
            String[][] lines = {
                    {"--help"}, {"run", "--help"}, {"status", "--help"}, {"logs", "--help"}, {"history", "--help"},
                    {"status", "run-x", "--endpoint", endpoint},
                    {"logs", "run-x", "--endpoint", endpoint},
                    {"logs", "run-x", "--instance", "i-00000000000000001", "--endpoint", endpoint},
                    {"history", "--instance", "i-00000000000000001", "--endpoint", endpoint},
                    {"stop", "run-x", "--endpoint", endpoint},
                    {"approve", "run-x", "--endpoint", endpoint},
                    {"plan", "--commands", "uptime", "--targets", "tag:Environment=staging", "--endpoint", endpoint},
                    // The commands added since, with --output json (CliJson) and the Ctrl-C hook of run (RunInterrupt).
                    {"list", "--help"}, {"watch", "--help"}, {"retry", "--help"}, {"resume", "--help"},
                    {"list", "--endpoint", endpoint},
                    {"list", "--status", "RUNNING", "--since", "1h", "--output", "json", "--endpoint", endpoint},
                    {"watch", "run-x", "--endpoint", endpoint},
                    {"status", "run-x", "--output", "json", "--endpoint", endpoint},
                    {"logs", "run-x", "--output", "json", "--endpoint", endpoint},
                    {"history", "--instance", "i-00000000000000001", "--output", "json", "--endpoint", endpoint},
                    {"pause", "run-x", "--endpoint", endpoint},
                    {"unpause", "run-x", "--endpoint", endpoint},
                    {"promote", "run-x", "--endpoint", endpoint},
                    {"reject", "run-x", "--reason", "training", "--endpoint", endpoint},
                    {"resume", "run-x", "--endpoint", endpoint},
                    {"retry", "run-x", "--endpoint", endpoint},
                    {"run", "--commands", "uptime", "--targets", "tag:Environment=staging", "--output", "json", "--endpoint", endpoint},
            };
            for (String[] line : lines) {
                try {
                    Fleetrun.execute(terminal, line);
                } catch (RuntimeException e) {
                    // an answer the training server does not give well: the classes are loaded all the same
                }
            }
        } finally {
            System.setErr(err);
            server.stop(0);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String operation = target.substring(target.indexOf('.') + 1);
        int status = 200;
        String body = switch (operation) {
            case "ListStateMachines" -> "{\"stateMachines\":[{\"stateMachineArn\":\"" + MACHINE
                    + "\",\"name\":\"fleetrun-rolling-run\",\"type\":\"STANDARD\",\"creationDate\":0}]}";
            case "StartExecution" -> "{\"executionArn\":\"" + MACHINE.replace(":stateMachine:", ":execution:")
                    + ":run-x\",\"startDate\":0}";
            case "DescribeExecution" -> "{\"executionArn\":\"" + MACHINE.replace(":stateMachine:", ":execution:")
                    + ":run-x\",\"stateMachineArn\":\"" + MACHINE + "\",\"name\":\"run-x\",\"status\":\"FAILED\","
                    + "\"startDate\":0,\"stopDate\":0,\"error\":\"Fleetrun.NoTargets\",\"cause\":\"training\"}";
            case "Query", "Scan" -> "{\"Items\":[],\"Count\":0,\"ScannedCount\":0}";
            case "GetItem" -> "{}";
            default -> {
                status = 400;
                yield "{\"__type\":\"com.amazonaws.training#ResourceNotFoundException\",\"message\":\"training\"}";
            }
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
