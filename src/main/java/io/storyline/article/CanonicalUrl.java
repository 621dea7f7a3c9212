package io.storyline.article;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Canonical form of an article URL, so that the same page reached through tracking links is
 * recognised as one entry: scheme and host lower-cased, default port, fragment and tracking
 * parameters ({@code utm_*}, click ids) removed.
 */
public final class CanonicalUrl {

    private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "dclid", "msclkid",
            "mc_cid", "mc_eid", "ocid", "cmpid", "xtor", "igshid", "_ga", "ref", "ref_src", "smid",
            "sr_share", "at_medium", "at_campaign", "guccounter");

    private CanonicalUrl() {
    }

    /**
     * The canonical form, or null when {@code url} is null, blank, not a URL, or a site's
     * home page (many unrelated entries link there; it identifies no article).
     */
    public static String of(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            int port = uri.getPort();
            if (host == null) {
                // Not a valid DNS name (an underscore, say): take the authority apart by hand.
                String authority = uri.getRawAuthority();
                authority = authority.substring(authority.lastIndexOf('@') + 1);
                int colon = authority.lastIndexOf(':');
                String digits = colon > 0 ? authority.substring(colon + 1) : "";
                if (!digits.isEmpty() && digits.length() <= 5
                        && digits.chars().allMatch(Character::isDigit)) {
                    port = Integer.parseInt(authority.substring(colon + 1));
                    authority = authority.substring(0, colon);
                }
                host = authority;
            }
            StringBuilder out = new StringBuilder(url.length());
            out.append(scheme).append("://").append(host.toLowerCase(Locale.ROOT));
            if (port >= 0 && !isDefaultPort(scheme, port)) {
                out.append(':').append(port);
            }
            String path = uri.getRawPath();
            String query = query(uri.getRawQuery());
            if ((path == null || path.isEmpty() || path.equals("/")) && query.isEmpty()) {
                return null;
            }
            out.append(path == null || path.isEmpty() ? "/" : path);
            if (!query.isEmpty()) {
                out.append('?').append(query);
            }
            return out.toString();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        StringJoiner kept = new StringJoiner("&");
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (!pair.isEmpty() && !name.startsWith("utm_") && !TRACKING.contains(name)) {
                kept.add(pair);
            }
        }
        return kept.toString();
    }

    private static boolean isDefaultPort(String scheme, int port) {
        return ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
    }
}
