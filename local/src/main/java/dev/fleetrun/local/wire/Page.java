package dev.fleetrun.local.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a paginated list answer, with the opaque {@code NextToken} that leads to the next
 * one (null on the last page). The token encodes the offset into the full, ordered list; a token
 * this class did not issue is rejected with the service's invalid-token error.
 */
public record Page<T>(List<T> items, String nextToken) {
    private static final String PREFIX = "offset:";

    /**
     * @param all             every item, in the order the service returns them
     * @param maxResults      the page size
     * @param nextToken       the token from the previous page, or null for the first
     * @param invalidTokenCode the error code the service uses for a bad token
     */
    public static <T> Page<T> of(List<T> all, int maxResults, String nextToken, String invalidTokenCode) {
        int from = nextToken == null ? 0 : offset(nextToken, all.size(), invalidTokenCode);
        int to = Math.min(all.size(), from + maxResults);
        String next = to < all.size() ? token(to) : null;
        return new Page<>(List.copyOf(all.subList(from, to)), next);
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token, int size, String invalidTokenCode) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                int offset = Integer.parseInt(decoded.substring(PREFIX.length()));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw AwsError.of(invalidTokenCode, "The nextToken '" + token + "' is not valid: pass the NextToken of the"
                + " previous page of the same request, unchanged.");
    }
}
