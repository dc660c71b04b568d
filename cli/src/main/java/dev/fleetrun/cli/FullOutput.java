package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.domain.StepOutputs;
import dev.fleetrun.local.ssm.OutputLayout;
import dev.fleetrun.records.NodeRecord;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;

/**
 * A node's whole output, read from where its run sent it, in this order: the S3 object SSM named as the
 * invocation's StandardOutputUrl (and the stderr beside it); the run's CloudWatch Logs group, streams
 * {@code CommandId/InstanceId/PLUGIN/stdout} and {@code .../stderr}; else SSM's GetCommandInvocation, whose
 * StandardOutputContent stops at 24,000 characters. {@link Read#source} says which it was.
 *
 * <p>A document of several steps has no StandardOutputUrl, stream or GetCommandInvocation of its own (SSM answers
 * {@code InvalidPluginName} without a step): each step is read from its own place (its CommandPlugin's
 * StandardOutputUrl, its stream {@code CommandId/InstanceId/STEP/stdout}, or GetCommandInvocation with its name)
 * and the steps are told as one, each under {@code [STEP] Status} as in the run's records ({@link StepOutputs}).
 */
final class FullOutput {
    /** path-style {@code https://s3.REGION.amazonaws.com/BUCKET/KEY}, {@code https://s3.amazonaws.com/...}, or a local endpoint. */
    private static final Pattern PATH_STYLE = Pattern.compile("^https?://(?:s3[.-][^/]*amazonaws\\.com(?:\\.cn)?|127\\.0\\.0\\.1(?::\\d+)?"
            + "|localhost(?::\\d+)?|\\[::1\\](?::\\d+)?)/([^/]+)/(.+)$");
    /** virtual-hosted {@code https://BUCKET.s3.REGION.amazonaws.com/KEY} or {@code http://BUCKET.localhost:PORT/KEY}. */
    private static final Pattern VIRTUAL = Pattern.compile("^https?://([^/]+?)\\.(?:s3[.-][^/]*amazonaws\\.com(?:\\.cn)?|localhost(?::\\d+)?)/(.+)$");

    private FullOutput() {
    }

    /** The output, and where it was read: {@code s3://bucket/key}, {@code CloudWatch Logs ...} or SSM's excerpt. */
    record Read(String stdout, String stderr, String source) {
    }

    /** An S3 object named by a URL. */
    record S3Location(String bucket, String key) {
        String uri() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** The bucket and key a StandardOutputUrl names; empty for a URL of no S3 form. */
    static Optional<S3Location> s3Location(String url) {
        if (url == null || url.isEmpty()) {
            return Optional.empty();
        }
        for (Pattern p : List.of(VIRTUAL, PATH_STYLE)) {
            Matcher m = p.matcher(url);
            if (m.matches()) {
                return Optional.of(new S3Location(m.group(1), URLDecoder.decode(m.group(2).replace("+", "%2B"),
                        StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the whole output of one node; what could not be read from S3 or Logs (no permission, gone) is said in
     * {@code notes}, and the next place is tried.
     *
     * @param request the run's request, for its {@code output.cloudWatchLogGroup}
     */
    static Read read(Backend backend, NodeRecord node, JsonNode request, List<String> notes) {
        Optional<S3Location> s3 = s3Location(node.outputUrl());
        if (s3.isPresent()) {
            try {
                String stdout = object(backend, s3.get());
                String stderrKey = s3.get().key().endsWith("/stdout")
                        ? s3.get().key().substring(0, s3.get().key().length() - "stdout".length()) + "stderr" : null;
                String stderr = stderrKey == null ? "" : object(backend, new S3Location(s3.get().bucket(), stderrKey));
                return new Read(stdout, stderr, s3.get().uri());
            } catch (SdkException e) {
                notes.add("could not read " + s3.get().uri() + ": " + e.getMessage());
            }
        }
        String group = request == null ? null : request.path("output").path("cloudWatchLogGroup").asText(null);
        List<CommandPlugin> steps = node.commandId() == null ? List.of() : steps(backend, node);
        if (steps.size() > 1) {
            return readSteps(backend, node, group, steps, notes);
        }
        if (group != null && node.commandId() != null) {
            try {
                Optional<Read> logs = logs(backend, group, node);
                if (logs.isPresent()) {
                    return logs.get();
                }
                notes.add("CloudWatch Logs group " + group + " has no stream " + node.commandId() + "/" + node.instanceId() + "/...");
            } catch (SdkException e) {
                notes.add("could not read CloudWatch Logs group " + group + ": " + e.getMessage());
            }
        }
        var invocation = backend.ssm().getCommandInvocation(b -> b.commandId(node.commandId()).instanceId(node.instanceId()));
        return new Read(nullToEmpty(invocation.standardOutputContent()), nullToEmpty(invocation.standardErrorContent()),
                "SSM GetCommandInvocation (its StandardOutputContent keeps the first 24,000 characters, StandardErrorContent"
                        + " 8,000; send the output to S3 or CloudWatch Logs for all of it: --output-s3-bucket, --cloudwatch-log-group)");
    }

    /** The steps SSM reports for the node's invocation, in the document's order (one for the AWS documents). */
    private static List<CommandPlugin> steps(Backend backend, NodeRecord node) {
        return backend.ssm().listCommandInvocations(b -> b.commandId(node.commandId()).instanceId(node.instanceId())
                        .details(true)).commandInvocations().stream().findFirst()
                .map(CommandInvocation::commandPlugins).orElse(List.of());
    }

    /** Every step's whole output, each read from its own place, told as one. */
    private static Read readSteps(Backend backend, NodeRecord node, String group, List<CommandPlugin> steps,
                                  List<String> notes) {
        List<StepOutputs.Step> stdouts = new ArrayList<>();
        List<StepOutputs.Step> stderrs = new ArrayList<>();
        LinkedHashSet<String> sources = new LinkedHashSet<>();
        for (CommandPlugin step : steps) {
            Read read = readStep(backend, node, group, step, notes);
            String stdout = read.stdout();
            if (stdout.isEmpty() && read.stderr().isEmpty()) {
                stdout = nullToEmpty(step.output()); // nothing written: a skipped step's reason, if any
            }
            stdouts.add(new StepOutputs.Step(step.name(), step.statusAsString(), step.responseCode(), stdout));
            stderrs.add(new StepOutputs.Step(step.name(), step.statusAsString(), step.responseCode(), read.stderr()));
            sources.add(read.source());
        }
        return new Read(nullToEmpty(StepOutputs.combine(stdouts).output()),
                nullToEmpty(StepOutputs.combine(stderrs).output()),
                steps.size() + " steps, each from its own output: " + String.join("; ", sources));
    }

    /** One step's whole output: its S3 objects, else its log streams, else SSM's excerpt of it. */
    private static Read readStep(Backend backend, NodeRecord node, String group, CommandPlugin step, List<String> notes) {
        Optional<S3Location> s3 = s3Location(step.standardOutputUrl());
        if (s3.isPresent()) {
            try {
                String stderrUrl = step.standardErrorUrl();
                Optional<S3Location> err = s3Location(stderrUrl);
                return new Read(object(backend, s3.get()), err.isPresent() ? object(backend, err.get()) : "", s3.get().uri());
            } catch (SdkException e) {
                notes.add("could not read " + s3.get().uri() + ": " + e.getMessage());
            }
        }
        if (group != null) {
            String stdoutStream = OutputLayout.logStream(node.commandId(), node.instanceId(), step.name(), "stdout");
            String stderrStream = OutputLayout.logStream(node.commandId(), node.instanceId(), step.name(), "stderr");
            try {
                return new Read(streamText(backend, group, stdoutStream), streamText(backend, group, stderrStream),
                        "CloudWatch Logs group " + group + ", streams " + stdoutStream + " and .../stderr");
            } catch (SdkException e) {
                notes.add("could not read CloudWatch Logs group " + group + ": " + e.getMessage());
            }
        }
        var invocation = backend.ssm().getCommandInvocation(b -> b.commandId(node.commandId())
                .instanceId(node.instanceId()).pluginName(step.name()));
        return new Read(nullToEmpty(invocation.standardOutputContent()), nullToEmpty(invocation.standardErrorContent()),
                "SSM GetCommandInvocation --plugin-name " + step.name() + " (the first 24,000 characters)");
    }

    /** A stream's text; "" when there is none (the agent makes a stream only once there is output for it). */
    private static String streamText(Backend backend, String group, String stream) {
        try {
            return events(backend, group, stream);
        } catch (ResourceNotFoundException e) {
            return "";
        }
    }

    /** An object's text; "" when there is none (the agent uploads no empty output). */
    private static String object(Backend backend, S3Location at) {
        try {
            return backend.outputs().s3().getObjectAsBytes(b -> b.bucket(at.bucket()).key(at.key())).asUtf8String();
        } catch (NoSuchKeyException e) {
            return "";
        }
    }

    private static Optional<Read> logs(Backend backend, String group, NodeRecord node) {
        String prefix = node.commandId() + "/" + node.instanceId() + "/";
        List<LogStream> streams = backend.outputs().logs().describeLogStreamsPaginator(b -> b.logGroupName(group)
                .logStreamNamePrefix(prefix)).logStreams().stream().toList();
        String stdout = null;
        String stderr = "";
        List<String> names = new ArrayList<>();
        for (LogStream stream : streams) {
            String name = stream.logStreamName();
            if (name.endsWith("/stdout") && stdout == null) {
                stdout = events(backend, group, name);
                names.add(name);
            } else if (name.endsWith("/stderr")) {
                stderr = events(backend, group, name);
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Read(stdout == null ? "" : stdout, stderr,
                "CloudWatch Logs group " + group + ", stream" + (names.size() > 1 ? "s " : " ") + String.join(" and ", names)));
    }

    /** A stream's events from the head, one line (or several) each, as the agent wrote them. */
    private static String events(Backend backend, String group, String stream) {
        StringBuilder text = new StringBuilder();
        for (OutputLogEvent event : backend.outputs().logs().getLogEventsPaginator(b -> b.logGroupName(group)
                .logStreamName(stream).startFromHead(true)).events()) {
            text.append(event.message()).append('\n');
        }
        return text.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
