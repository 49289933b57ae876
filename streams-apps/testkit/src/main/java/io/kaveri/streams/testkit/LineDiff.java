package io.kaveri.streams.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified-style line diff (longest common subsequence), enough for files of a few hundred
 * lines such as topology descriptions. Only changed lines and some context are printed.
 */
final class LineDiff {

    private static final int CONTEXT = 2;

    private LineDiff() {
    }

    /** Lines prefixed with "- " (only in {@code before}), "+ " (only in {@code after}) or "  ". */
    static List<String> diff(List<String> before, List<String> after) {
        int n = before.size();
        int m = after.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> all = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).equals(after.get(j))) {
                all.add("  " + before.get(i++));
                j++;
            } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
                all.add("+ " + after.get(j++));
            } else {
                all.add("- " + before.get(i++));
            }
        }
        return withContext(all);
    }

    private static List<String> withContext(List<String> all) {
        boolean[] keep = new boolean[all.size()];
        for (int k = 0; k < all.size(); k++) {
            if (!all.get(k).startsWith("  ")) {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(all.size() - 1, k + CONTEXT); c++) {
                    keep[c] = true;
                }
            }
        }
        List<String> out = new ArrayList<>();
        boolean skipped = false;
        for (int k = 0; k < all.size(); k++) {
            if (keep[k]) {
                out.add(all.get(k));
                skipped = false;
            } else if (!skipped) {
                out.add("  ...");
                skipped = true;
            }
        }
        return out;
    }
}
