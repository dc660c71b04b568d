package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads IAM statements out of a synthesized template, for the least-privilege tests. */
final class Policies {

    /** One statement, with the policy it is in and the roles that policy is attached to. */
    record Statement(String policy, String type, Set<String> roles, JsonNode json) {

        List<String> actions() {
            return strings(json.path("Action"));
        }

        /** Resources as written: plain strings, or the JSON of an intrinsic function. */
        List<String> resources() {
            JsonNode r = json.path("Resource");
            List<String> out = new ArrayList<>();
            for (JsonNode n : r.isArray() ? r : List.of(r)) {
                out.add(n.isTextual() ? n.asText() : n.toString());
            }
            return out;
        }

        boolean allows(String action) {
            return json.path("Effect").asText().equals("Allow") && actions().contains(action);
        }
    }

    private Policies() {
    }

    /** Every statement of every identity policy (IAM policies, managed policies, inline role policies). */
    static List<Statement> identityStatements(Synthesized s) {
        List<Statement> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : s.resources("AWS::IAM::Policy").entrySet()) {
            add(out, e.getKey(), "AWS::IAM::Policy", refs(e.getValue().path("Properties").path("Roles")),
                    e.getValue().path("Properties").path("PolicyDocument"));
        }
        for (Map.Entry<String, JsonNode> e : s.resources("AWS::IAM::ManagedPolicy").entrySet()) {
            add(out, e.getKey(), "AWS::IAM::ManagedPolicy", refs(e.getValue().path("Properties").path("Roles")),
                    e.getValue().path("Properties").path("PolicyDocument"));
        }
        for (Map.Entry<String, JsonNode> e : s.resources("AWS::IAM::Role").entrySet()) {
            for (JsonNode p : e.getValue().path("Properties").path("Policies")) {
                add(out, e.getKey(), "AWS::IAM::Role", Set.of(e.getKey()), p.path("PolicyDocument"));
            }
        }
        return out;
    }

    /** Every statement of every resource policy (KMS key, SNS topic, SQS queue, S3 bucket policies). */
    static List<Statement> resourceStatements(Synthesized s) {
        List<Statement> out = new ArrayList<>();
        Map<String, String> documents = Map.of("AWS::KMS::Key", "KeyPolicy", "AWS::SNS::TopicPolicy", "PolicyDocument",
                "AWS::SQS::QueuePolicy", "PolicyDocument", "AWS::S3::BucketPolicy", "PolicyDocument");
        documents.forEach((type, property) -> s.resources(type).forEach((id, r) ->
                add(out, id, type, Set.of(), r.path("Properties").path(property))));
        return out;
    }

    /** The identity statements that apply to one role. */
    static List<Statement> ofRole(Synthesized s, String roleLogicalId) {
        return identityStatements(s).stream().filter(st -> st.roles().contains(roleLogicalId)).toList();
    }

    /** The actions a role is allowed, sorted. */
    static Set<String> actionsOfRole(Synthesized s, String roleLogicalId) {
        Set<String> actions = new TreeSet<>();
        ofRole(s, roleLogicalId).forEach(st -> actions.addAll(st.actions()));
        return actions;
    }

    private static void add(List<Statement> out, String id, String type, Set<String> roles, JsonNode document) {
        for (JsonNode st : document.path("Statement")) {
            out.add(new Statement(id, type, roles, st));
        }
    }

    private static Set<String> refs(JsonNode roles) {
        Set<String> out = new TreeSet<>();
        for (JsonNode r : roles) {
            out.add(r.path("Ref").asText());
        }
        return out;
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        }
        for (JsonNode n : node.isArray() ? node : List.<JsonNode>of()) {
            out.add(n.asText());
        }
        return out;
    }
}
