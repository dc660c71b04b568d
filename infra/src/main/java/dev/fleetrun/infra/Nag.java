package dev.fleetrun.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Stack;
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
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(ruleId).reason(reason).appliesTo(List.<Object>copyOf(appliesTo)).build()),
                true);
    }

    /**
     * Suppresses {@code ruleId} on {@code construct} only for wildcards in exactly these resource ARNs, as the
     * construct's stack renders them. The findings are derived from the same ARN values the policy statements use, so
     * they follow the stack's partition, Region and account, whether those are concrete ({@code cdk synth} with a
     * Region and account: {@code arn:aws-cn:ec2:cn-north-1:123456789012:instance/*}) or pseudo parameters (an
     * environment-agnostic stack: {@code arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*}).
     */
    static void suppressResources(IConstruct construct, String ruleId, String reason, List<String> arns) {
        Stack stack = Stack.of(construct);
        suppress(construct, ruleId, reason, arns.stream().map(arn -> resourceFinding(stack, arn)).toList());
    }

    /** cdk-nag's name for a resource in a finding: {@code Resource::} and the ARN as {@code stack} renders it. */
    static String resourceFinding(Stack stack, String arn) {
        return "Resource::" + flatten(stack.resolve(arn));
    }

    /**
     * A resolved CloudFormation value as one string, as cdk-nag 2.37 writes it in findings
     * ({@code flattenCfnReference}): a literal as it is with {@code ${X}} written {@code <X>}, {@code Fn::Join}
     * joined, {@code Ref} as {@code <Name>}, {@code Fn::GetAtt} as {@code <Resource.Attribute>}. Anything else is
     * refused rather than guessed, so a finding that would not match fails at synth, not in review.
     */
    static String flatten(Object resolved) {
        if (resolved instanceof String text) {
            return text.replace("${", "<").replace("}", ">");
        }
        if (resolved instanceof Map<?, ?> function && function.size() == 1) {
            Map.Entry<?, ?> only = function.entrySet().iterator().next();
            Object argument = only.getValue();
            switch (String.valueOf(only.getKey())) {
                case "Fn::Join" -> {
                    List<?> join = (List<?>) argument;
                    String delimiter = (String) join.get(0);
                    return ((List<?>) join.get(1)).stream().map(Nag::flatten).collect(Collectors.joining(delimiter));
                }
                case "Ref" -> {
                    return "<" + flatten(argument) + ">";
                }
                case "Fn::GetAtt" -> {
                    List<?> getAtt = (List<?>) argument;
                    return "<" + flatten(getAtt.get(0)) + "." + flatten(getAtt.get(1)) + ">";
                }
                case "Fn::Sub", "Fn::ImportValue" -> {
                    return flatten(argument);
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("cannot name " + resolved + " as a cdk-nag finding: give the finding as text");
    }
}
