"""The people's views: console accounts (`Accounts`), Voice-of-the-Customer feedback
(`FeedbackStore`, analysed by `voc`), and what support and marketing read (`Reports`).
Each service owns its transactions."""
