package io.kaveri.streams.leaderboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The best K players of one board. Exact with K entries only: a player's standing only improves, so one pushed
 * out of the top K can come back only with a new score, which is offered again then.
 */
final class TopK {

    private final List<Standing> ranked;

    TopK(List<Standing> ranked) {
        this.ranked = new ArrayList<>(ranked);
    }

    List<Standing> ranked() {
        return Collections.unmodifiableList(ranked);
    }

    /** Offers a standing; returns the 0-based ranks whose holder or score changed. */
    List<Integer> offer(Standing s, int k) {
        // Most scores of a busy game rank below a full board: neither a newcomer nor a better standing of a player
        // on the board (that player's standing there ranks before this one), so nothing to copy or search.
        if (ranked.size() >= k && Standing.BEST_FIRST.compare(s, ranked.get(ranked.size() - 1)) > 0) {
            return List.of();
        }
        List<Standing> before = List.copyOf(ranked);
        int existing = -1;
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).playerId().equals(s.playerId())) {
                existing = i;
                break;
            }
        }
        if (existing >= 0) {
            Standing better = s.best(ranked.get(existing));
            if (better == ranked.get(existing)) {
                return List.of();
            }
            ranked.remove(existing);
        }
        int at = Collections.binarySearch(ranked, s, Standing.BEST_FIRST);
        ranked.add(at < 0 ? -at - 1 : at, s);
        while (ranked.size() > k) {
            ranked.remove(ranked.size() - 1);
        }
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            if (i >= before.size() || !before.get(i).equals(ranked.get(i))) {
                changed.add(i);
            }
        }
        return changed;
    }
}
