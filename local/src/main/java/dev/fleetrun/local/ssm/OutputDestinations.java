package dev.fleetrun.local.ssm;

/**
 * Where the simulated agent sends the complete output of each plugin it ran, when the command asked for it
 * ({@code OutputS3BucketName}, {@code CloudWatchOutputConfig}), and what SendCommand and the answers need to know of
 * those places: whether a bucket exists ({@code InvalidOutputFolder}) and the URL of an object
 * ({@code StandardOutputUrl}). {@link #NONE} has no S3 or Logs behind it: every bucket is taken to exist, URLs are
 * AWS's, nothing is written. {@link ServiceOutputDestinations} writes to the runtime's simulated S3 and CloudWatch
 * Logs.
 *
 * <p>The agent calls {@link #pluginFinished} once per plugin (step) that ran, naming the plugin and the step itself,
 * so a document of several steps writes each step's output under its own name.
 */
public interface OutputDestinations {

    /** One plugin's complete output, as the agent holds it when the plugin ends. */
    record PluginOutput(SsmCommand command, String instanceId, String pluginName, String stepName, String stdout,
                        String stderr) {
    }

    /** Whether SendCommand may name this bucket. */
    boolean bucketExists(String bucket);

    /** The URL GetCommandInvocation gives as StandardOutputUrl / StandardErrorUrl for an object. */
    String objectUrl(String region, String bucket, String key);

    /** Writes a plugin's output where its command asked; a failure is the destination's to report, never the command's. */
    void pluginFinished(PluginOutput output);

    /** No S3 or Logs: AWS's URLs, every bucket taken to exist, nothing written. */
    OutputDestinations NONE = new OutputDestinations() {
        @Override
        public boolean bucketExists(String bucket) {
            return true;
        }

        @Override
        public String objectUrl(String region, String bucket, String key) {
            return awsUrl(region, bucket, key);
        }

        @Override
        public void pluginFinished(PluginOutput output) {
        }
    };

    /**
     * AWS's form of the URL: {@code https://s3.REGION.amazonaws.com/BUCKET/KEY} (path-style, as the URLs
     * GetCommandInvocation returns are read by operators' scripts; not checked against AWS here).
     */
    static String awsUrl(String region, String bucket, String key) {
        return "https://s3." + region + ".amazonaws.com/" + bucket + "/" + key;
    }
}
