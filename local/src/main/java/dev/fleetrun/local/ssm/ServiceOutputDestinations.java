package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.logs.LogsService;
import dev.fleetrun.local.s3.S3Service;
import dev.fleetrun.local.wire.RequestFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The runtime's simulated S3 and CloudWatch Logs as the agent's output destinations: when a plugin ends, its stdout
 * and stderr go to {@code s3://OutputS3BucketName/...} and to the command's log group in the layout of
 * {@link OutputLayout}, as the SSM Agent uploads them (with the node's role, so here without any caller's
 * credentials). The group is created when missing, as the agent creates it. Object URLs name the local endpoint
 * ({@code http://127.0.0.1:PORT/BUCKET/KEY}), which the AWS CLI and {@code fleetrun logs} can read; an upload that
 * fails (the bucket was deleted after SendCommand) is kept in {@link #failures()}, as the agent only logs it.
 *
 * <p>Differences from AWS: output reaches Logs when the plugin ends, not streamed every second while it runs.
 */
public final class ServiceOutputDestinations implements OutputDestinations {
    private final S3Service s3;
    private final LogsService logs;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    public ServiceOutputDestinations(S3Service s3, LogsService logs) {
        this.s3 = s3;
        this.logs = logs;
    }

    @Override
    public boolean bucketExists(String bucket) {
        return s3.bucketExists(bucket);
    }

    @Override
    public String objectUrl(String region, String bucket, String key) {
        return s3.objectUrl(bucket, key);
    }

    @Override
    public void pluginFinished(PluginOutput output) {
        SsmCommand command = output.command();
        JsonNode request = command.request();
        String bucket = RequestFields.optionalText(request, "OutputS3BucketName", null);
        if (bucket != null) {
            String prefix = RequestFields.optionalText(request, "OutputS3KeyPrefix", "");
            upload(bucket, OutputLayout.s3Key(prefix, command.commandId(), output.instanceId(), output.pluginName(),
                    output.stepName(), "stdout"), output.stdout());
            upload(bucket, OutputLayout.s3Key(prefix, command.commandId(), output.instanceId(), output.pluginName(),
                    output.stepName(), "stderr"), output.stderr());
        }
        JsonNode cloudWatch = request.path("CloudWatchOutputConfig");
        if (cloudWatch.path("CloudWatchOutputEnabled").asBoolean(false)) {
            String group = RequestFields.optionalText(cloudWatch, "CloudWatchLogGroupName",
                    OutputLayout.defaultLogGroup(command.document().name()));
            logs.ensureGroup(group);
            for (String stream : List.of("stdout", "stderr")) {
                List<String> events = OutputLayout.events(stream.equals("stdout") ? output.stdout() : output.stderr());
                if (!events.isEmpty()) {
                    logs.append(group, OutputLayout.logStream(command.commandId(), output.instanceId(), output.stepName(),
                            stream), events);
                }
            }
        }
    }

    private void upload(String bucket, String key, String text) {
        if (text.isEmpty()) {
            return;
        }
        try {
            s3.putObject(bucket, key, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        } catch (RuntimeException e) {
            failures.add("Failed to upload the output to s3://" + bucket + "/" + key + ": " + e.getMessage());
        }
    }

    /** Uploads that failed, as the agent would have logged them. */
    public List<String> failures() {
        return List.copyOf(failures);
    }
}
