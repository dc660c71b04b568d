package dev.fleetrun.local.ssm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where the SSM Agent puts a plugin's complete output, as amazon-ssm-agent 3.3 (commit 1c217c89) builds the names:
 * <ul>
 *   <li><b>S3 key</b>: {@code OutputS3KeyPrefix/CommandId/InstanceId/PLUGIN/STEP/stdout} (and {@code stderr}),
 *       joined as Go's {@code path.Join} joins them, colons removed from the plugin and step names
 *       ({@code agent/runcommand/utils.go}: {@code path.Join(OutputS3KeyPrefix, CommandID, Destination)};
 *       {@code iohandler.Init(pluginName, stepName)} and {@code fileutil.BuildS3Path}). PLUGIN is the plugin
 *       ({@code aws:runShellScript}); STEP is the step's name in a schema 2.x document, and in a schema 1.2
 *       document the id of the plugin's property, {@code 0.aws:runShellScript} for AWS-RunShellScript
 *       ({@code runpluginutil.getStepName}). So AWS-RunShellScript writes
 *       {@code prefix/CommandId/InstanceId/awsrunShellScript/0.awsrunShellScript/stdout}.</li>
 *   <li><b>CloudWatch Logs</b>: group {@code CloudWatchLogGroupName}, or {@code /aws/ssm/DocumentName}
 *       ({@code runcommand/service.go} {@code CloudWatchLogGroupNamePrefix}); stream
 *       {@code CommandId/InstanceId/PLUGIN_ID/stdout} with {@code :} and {@code *} made {@code -}, where PLUGIN_ID is
 *       the plugin in a schema 1.2 document ({@code aws-runShellScript}) and the step's name in a schema 2.x one
 *       ({@code runpluginutil.RunPlugins}).</li>
 *   <li><b>Events</b>: the output's lines, packed into events of at most 200,000 bytes, each without its last
 *       newline ({@code cloudwatchlogspublisher}: {@code MessageLengthThresholdInBytes}, {@code buildEventInfo}).</li>
 * </ul>
 * Output that is empty is not uploaded to S3 ({@code iomodule/fileS3.go}: only when the file's size is above 0), and
 * a log stream exists only once there is data for it.
 */
public final class OutputLayout {
    public static final String DEFAULT_LOG_GROUP_PREFIX = "/aws/ssm/";
    public static final int EVENT_BYTES = 200_000;

    private OutputLayout() {
    }

    /**
     * The S3 key of one stream ("stdout" or "stderr") of one plugin's output.
     *
     * @param pluginName the plugin, e.g. aws:runShellScript
     * @param stepName   the step as GetCommandInvocation names it (PluginName): the step's name in a schema 2.x
     *                   document; the plugin itself in a schema 1.2 one, whose S3 folder is then its property's id
     */
    public static String s3Key(String prefix, String commandId, String instanceId, String pluginName, String stepName,
                               String stream) {
        return join(prefix == null ? "" : prefix, commandId, instanceId, pluginName.replace(":", ""),
                stepFolder(pluginName, stepName).replace(":", ""), stream);
    }

    /** The log stream of one stream of one plugin's output. */
    public static String logStream(String commandId, String instanceId, String pluginId, String stream) {
        return (commandId + "/" + instanceId + "/" + pluginId).replace(":", "-").replace("*", "-") + "/" + stream;
    }

    /** The group SSM writes to when CloudWatchOutputConfig names none. */
    public static String defaultLogGroup(String documentName) {
        return DEFAULT_LOG_GROUP_PREFIX + documentName;
    }

    /** The S3 step element of a document's one plugin: the step's name, or for a schema 1.2 document its property id. */
    public static String stepFolder(String pluginName, String stepName) {
        return stepName.equals(pluginName) ? "0." + pluginName : stepName;
    }

    /** The events the agent makes of a complete output. */
    public static List<String> events(String output) {
        List<String> events = new ArrayList<>();
        if (output.isEmpty()) {
            return events;
        }
        StringBuilder message = new StringBuilder();
        int messageBytes = 0;
        for (String line : lines(output)) {
            int bytes = line.getBytes(StandardCharsets.UTF_8).length;
            if (messageBytes + bytes > EVENT_BYTES && message.length() > 0) {
                events.add(withoutLastNewline(message.toString()));
                message.setLength(0);
                messageBytes = 0;
            }
            message.append(line);
            messageBytes += bytes;
        }
        if (message.length() > 0) {
            events.add(withoutLastNewline(message.toString()));
        }
        return events;
    }

    /** The lines with their newlines; a line longer than an event is cut into pieces, as the agent's reader cuts it. */
    private static List<String> lines(String output) {
        List<String> lines = new ArrayList<>();
        int at = 0;
        while (at < output.length()) {
            int end = output.indexOf('\n', at);
            end = end < 0 ? output.length() : end + 1;
            String line = output.substring(at, end);
            while (line.getBytes(StandardCharsets.UTF_8).length > EVENT_BYTES) {
                int cut = EVENT_BYTES;
                while (line.substring(0, Math.min(cut, line.length())).getBytes(StandardCharsets.UTF_8).length > EVENT_BYTES) {
                    cut--;
                }
                lines.add(line.substring(0, cut));
                line = line.substring(cut);
            }
            lines.add(line);
            at = end;
        }
        return lines;
    }

    private static String withoutLastNewline(String message) {
        String text = message.replace("\r\n", "\n");
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Go's path.Join: the non-empty elements joined with '/', then cleaned (no empty, '.' or '..' segments). */
    static String join(String... elements) {
        StringBuilder joined = new StringBuilder();
        for (String element : elements) {
            if (element.isEmpty()) {
                continue;
            }
            if (joined.length() > 0) {
                joined.append('/');
            }
            joined.append(element);
        }
        if (joined.length() == 0) {
            return "";
        }
        boolean rooted = joined.charAt(0) == '/';
        Deque<String> parts = new ArrayDeque<>();
        for (String part : joined.toString().split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast(part);
                }
                continue;
            }
            parts.addLast(part);
        }
        String clean = String.join("/", parts);
        return rooted ? "/" + clean : clean.isEmpty() ? "." : clean;
    }
}
