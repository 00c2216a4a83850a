package dev.llmautoscale.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tracked path patterns, compiled once and matched without allocation.
 *
 * <p>A pattern is matched against the request URI after the context path (before percent-decoding, up to a
 * {@code ;} path parameter). Its segments are:
 * <ul>
 *   <li>a literal, compared exactly (case-sensitive);</li>
 *   <li>{@code *} in the middle: exactly one non-empty segment;</li>
 *   <li>{@code {model}}: one non-empty segment that is also the request's model name (percent-decoded);</li>
 *   <li>{@code *} or {@code **} as the last segment: the path so far and anything below it (servlet
 *       {@code /prefix/*} semantics).</li>
 * </ul>
 */
final class PathPatterns {

    private static final byte LITERAL = 0;
    private static final byte ANY = 1;
    private static final byte MODEL = 2;
    private static final byte REST = 3;

    private final String[] sources;
    private final byte[][] kinds;
    private final String[][] literals;

    private PathPatterns(List<String> patterns) {
        int n = patterns.size();
        sources = new String[n];
        kinds = new byte[n][];
        literals = new String[n][];
        for (int i = 0; i < n; i++) {
            compile(i, patterns.get(i));
        }
    }

    /**
     * @param patterns the patterns
     * @return the compiled patterns
     * @throws IllegalArgumentException naming the first invalid pattern and why
     */
    static PathPatterns compile(List<String> patterns) {
        return new PathPatterns(patterns);
    }

    private void compile(int index, String pattern) {
        if (pattern == null || pattern.isEmpty() || pattern.charAt(0) != '/') {
            throw new IllegalArgumentException("path pattern '" + pattern + "' must start with '/'");
        }
        if (pattern.equals("/")) {
            throw new IllegalArgumentException("path pattern '/' matches only the root; use '/*' to track every path");
        }
        String[] parts = pattern.substring(1).split("/", -1);
        byte[] k = new byte[parts.length];
        String[] lit = new String[parts.length];
        boolean sawModel = false;
        for (int s = 0; s < parts.length; s++) {
            String part = parts[s];
            boolean last = s == parts.length - 1;
            if (part.isEmpty()) {
                throw new IllegalArgumentException("path pattern '" + pattern + "' has an empty segment");
            }
            if (part.equals("**") || (part.equals("*") && last)) {
                if (!last) {
                    throw new IllegalArgumentException("path pattern '" + pattern + "': '**' may only be the last segment");
                }
                k[s] = REST;
            } else if (part.equals("*")) {
                k[s] = ANY;
            } else if (part.equals("{model}")) {
                if (sawModel) {
                    throw new IllegalArgumentException("path pattern '" + pattern + "' has more than one {model}");
                }
                sawModel = true;
                k[s] = MODEL;
            } else if (part.indexOf('*') >= 0 || part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': segment '" + part
                        + "' mixes text with a wildcard; use a whole '*', '**' or '{model}' segment");
            } else if (part.indexOf(';') >= 0) {
                throw new IllegalArgumentException("path pattern '" + pattern + "' must not contain ';'");
            } else {
                k[s] = LITERAL;
                lit[s] = part;
            }
        }
        sources[index] = pattern;
        kinds[index] = k;
        literals[index] = lit;
    }

    /**
     * @return how many patterns there are
     */
    int size() {
        return sources.length;
    }

    /**
     * @param index a pattern index
     * @return the pattern as configured
     */
    String source(int index) {
        return sources[index];
    }

    /**
     * Where a path within the request URI ends: at a {@code ;} path parameter, else at the end.
     *
     * @param uri the request URI
     * @param start where the path starts (after the context path)
     * @return the end index, exclusive
     */
    static int pathEnd(String uri, int start) {
        int semi = uri.indexOf(';', start);
        return semi < 0 ? uri.length() : semi;
    }

    /**
     * @param uri the request URI
     * @param start where the path starts (the length of the context path)
     * @param end where it ends ({@link #pathEnd})
     * @return the index of the first matching pattern, or -1
     */
    int match(String uri, int start, int end) {
        for (int i = 0; i < sources.length; i++) {
            if (walk(i, uri, start, end, false) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param index a pattern index
     * @return whether the pattern captures a model name
     */
    boolean capturesModel(int index) {
        for (byte k : kinds[index]) {
            if (k == MODEL) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code {model}} segment of a path matched by a pattern.
     *
     * @param index the pattern that matched
     * @param uri the request URI
     * @param start where the path starts
     * @param end where it ends
     * @return the percent-decoded model name, or {@code null} when the pattern captures none
     */
    @Nullable String model(int index, String uri, int start, int end) {
        if (!capturesModel(index)) {
            return null;
        }
        int at = walk(index, uri, start, end, true);
        if (at < 0) {
            return null;
        }
        int segEnd = segmentEnd(uri, at, end);
        return decode(uri, at, segEnd);
    }

    /**
     * Walks a pattern over the path.
     *
     * @return -1 when it does not match; otherwise 0, or with {@code findModel} the start of the model segment
     */
    private int walk(int index, String uri, int start, int end, boolean findModel) {
        byte[] k = kinds[index];
        String[] lit = literals[index];
        int pos = start;
        int modelAt = -1;
        for (int s = 0; s < k.length; s++) {
            if (k[s] == REST) {
                // the prefix itself, or anything below it
                return pos == end || uri.charAt(pos) == '/' ? Math.max(modelAt, 0) : -1;
            }
            if (pos >= end || uri.charAt(pos) != '/') {
                return -1;
            }
            pos++;
            int segEnd = segmentEnd(uri, pos, end);
            switch (k[s]) {
                case LITERAL:
                    String l = lit[s];
                    if (segEnd - pos != l.length() || !uri.regionMatches(pos, l, 0, l.length())) {
                        return -1;
                    }
                    break;
                case MODEL:
                    if (segEnd == pos) {
                        return -1;
                    }
                    modelAt = pos;
                    break;
                default:
                    if (segEnd == pos) {
                        return -1;
                    }
                    break;
            }
            pos = segEnd;
        }
        if (pos != end) {
            return -1;
        }
        return findModel ? modelAt : 0;
    }

    private static int segmentEnd(String uri, int from, int end) {
        int slash = uri.indexOf('/', from);
        return slash < 0 || slash > end ? end : slash;
    }

    /** Percent-decodes a path segment as UTF-8 ({@code +} stays a plus sign, as in paths). */
    static String decode(String s, int from, int to) {
        int pct = s.indexOf('%', from);
        if (pct < 0 || pct >= to) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write((hi << 4) | lo);
                    i += 3;
                    continue;
                }
            }
            int cp = s.codePointAt(i);
            byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(raw, 0, raw.length);
            i += Character.charCount(cp);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return List.of(sources).toString();
    }
}
