// The library build's way in to src/styles.css, emitted as dist/styles.css.
import './styles.css';
