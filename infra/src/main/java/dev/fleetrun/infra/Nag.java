package dev.fleetrun.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions, each with its reason, next to the resource it excuses. A suppression is an argument with the
 * checker written down: the reason says why the rule does not fit, so a reviewer can disagree with something concrete.
 */
final class Nag {

    private Nag() {
    }

    /** Suppresses {@code ruleId} on {@code construct} and its children. */
    static void suppress(IConstruct construct, String ruleId, String reason) {
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(ruleId).reason(reason).build()), true);
    }

    /**
     * Suppresses {@code ruleId} on {@code construct} only for the named findings (for IAM5, the exact
     * {@code Action::...} or {@code Resource::...} wildcards), so a new wildcard elsewhere still fails the check.
     */
    static void suppress(IConstruct construct, String ruleId, String reason, List<String> appliesTo) {
        List<Object> findings = appliesTo.stream().<Object>map(Nag::finding).toList();
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(ruleId).reason(reason).appliesTo(findings).build()), true);
    }

    /**
     * A finding as written, or, when it is {@code /.../}, a regular expression: logical ids carry a hash, so
     * {@code /^Resource::<OutputBucket\w+\.Arn>\/\*$/} names the bucket's wildcard without that hash.
     */
    private static Object finding(String text) {
        if (text.length() > 1 && text.startsWith("/") && text.endsWith("/")) {
            return RegexAppliesTo.builder().regex(text).build();
        }
        return text;
    }
}
