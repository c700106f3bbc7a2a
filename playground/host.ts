// The sample host page's only script: importing the widget registers <parlance-chat>, which the
// page's HTML already contains. Nothing else of the kit is loaded here.
import 'parlance/widget';
import './host.css';
