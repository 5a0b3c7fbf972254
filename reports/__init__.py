"""What leaves brandsweep: lead and listing exports, and (later) reports and evidence."""
