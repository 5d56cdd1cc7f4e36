-- Rasa's tracker store gets its own database, owned by the same role as the lifecycle store.
CREATE DATABASE rasa OWNER shopmate;
